using System.Text.Json.Serialization;

namespace HyperFunctions.Hyperliquid.Models;

/// <summary>One price level of a book: a value (a book carries tens of them per message, so no allocation each).</summary>
/// <param name="Px">Price.</param>
/// <param name="Sz">Total size at the level.</param>
/// <param name="N">Number of orders at the level.</param>
public readonly record struct L2Level(decimal Px, decimal Sz, int N);

/// <summary>An L2 book snapshot (<c>l2Book</c> info answer and WebSocket channel).</summary>
/// <param name="Coin">Asset name.</param>
/// <param name="Time">Venue time, ms since epoch.</param>
/// <param name="Levels">Two lists: bids then asks.</param>
public sealed record L2Book(string Coin, long Time, IReadOnlyList<IReadOnlyList<L2Level>> Levels)
{
    /// <summary>Bid levels, best first.</summary>
    [JsonIgnore]
    public IReadOnlyList<L2Level> Bids => Levels.Count > 0 ? Levels[0] : [];

    /// <summary>Ask levels, best first.</summary>
    [JsonIgnore]
    public IReadOnlyList<L2Level> Asks => Levels.Count > 1 ? Levels[1] : [];
}

/// <summary>Best bid and offer (<c>bbo</c> channel).</summary>
/// <param name="Coin">Asset name.</param>
/// <param name="Time">Venue time, ms since epoch.</param>
/// <param name="Levels">Best bid then best ask; either may be null.</param>
public sealed record Bbo(string Coin, long Time, [property: JsonPropertyName("bbo")] IReadOnlyList<L2Level?> Levels);
