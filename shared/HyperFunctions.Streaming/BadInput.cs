using HyperFunctions.Hyperliquid.Models;

namespace HyperFunctions.Streaming;

/// <summary>Cuts offending input short for a log line, so a huge or hostile frame never floods the log.</summary>
public static class BadInput
{
    public const int MaxShown = 120;

    public static string Excerpt(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "(empty)";
        var cut = text.Length > MaxShown ? text[..MaxShown] + $"… ({text.Length} chars)" : text;
        return string.Create(cut.Length, cut, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++) span[i] = char.IsControl(s[i]) ? '?' : s[i];
        });
    }
}

/// <summary>
/// Whether a venue answer the deserializer accepted is whole enough to become a fact: source-generated
/// deserialization fills a missing field with null or 0, so <c>[{"coin":"BTC"}]</c> reads as a fill with no
/// hash, tid, size or time. Such an answer is refused as a whole (never a half-written fact).
/// </summary>
public static class VenueShapes
{
    /// <summary>Null when the fill can be stored and keyed; else what is missing.</summary>
    public static string? WhyNotWhole(Fill? fill) => fill switch
    {
        null => "a null fill",
        { Coin: null or "" } => "a fill without coin",
        { Hash: null or "" } => "a fill without hash",
        { Side: null or "" } => "a fill without side",
        { Dir: null } => "a fill without dir",
        { Time: <= 0 } => "a fill without time",
        { Sz: <= 0 } => "a fill without size",
        { Px: <= 0 } => "a fill without price",
        _ => null,
    };

    /// <summary>Null when every fill of the answer is whole; else what the first bad one lacks.</summary>
    public static string? WhyNotWhole(IReadOnlyList<Fill>? fills)
    {
        if (fills is null) return "no list of fills";
        foreach (var fill in fills)
        {
            if (WhyNotWhole(fill) is { } why) return why;
        }
        return null;
    }

    /// <summary>Null when the book answers for <paramref name="coin"/> with its two sides; else what is wrong.</summary>
    public static string? WhyNotWhole(L2Book? book, string coin) => book switch
    {
        null => "no book",
        { Levels: null } => "a book without levels",
        { Time: <= 0 } => "a book without time",
        _ when !string.Equals(book.Coin, coin, StringComparison.Ordinal) => $"the book of '{book.Coin}' for {coin}",
        _ when book.Levels.Count != 2 || book.Levels.Any(side => side is null) => "a book without two sides of levels",
        _ => null,
    };

    /// <summary>Null when the answer has a universe and a context per asset; else what is wrong.</summary>
    public static string? WhyNotWhole(MetaAndAssetContexts? answer) => answer switch
    {
        null => "no answer",
        { Meta.Universe: null } or { Meta: null } => "no universe",
        { Contexts: null } => "no contexts",
        _ when answer.Meta.Universe.Any(a => a is null || string.IsNullOrEmpty(a.Name)) => "an asset without name",
        _ when answer.Contexts.Any(c => c is null) => "a null context",
        _ => null,
    };
}

/// <summary>A venue answer that deserialized but is not whole (<see cref="VenueShapes"/>).</summary>
public sealed class WrongShapeException(string endpoint, string why, string excerpt, Exception? inner = null)
    : Exception($"{endpoint} answered with the wrong shape ({why}): {excerpt}", inner)
{
    public string Endpoint { get; } = endpoint;
}
