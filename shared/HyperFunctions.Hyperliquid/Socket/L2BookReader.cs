using System.Buffers.Text;
using System.Text.Json;
using HyperFunctions.Hyperliquid.Models;

namespace HyperFunctions.Hyperliquid.Socket;

/// <summary>
/// Hot path for the busiest channel: reads an <c>l2Book</c> payload (<c>{"coin","time","levels":[[{"px","sz","n"}...],[...]]}</c>)
/// straight from the receive buffer with one <see cref="Utf8JsonReader"/> pass: decimals parsed from the
/// UTF-8 bytes of their strings, levels as value types in exactly sized arrays, the coin name reused
/// from a small cache instead of a new string per message. Anything it does not expect (escaped text, a
/// number where a string belongs, a missing field) makes it answer false, and the caller falls back to the
/// source-generated deserialiser, so the outcome for unusual input stays what the deserialiser decides.
/// </summary>
internal static class L2BookReader
{
    private const int MaxLevelsKept = 256;

    // Coins seen on this thread (a receive loop runs on one thread at a time; the cache is only an optimisation).
    [ThreadStatic]
    private static string[]? t_coins;

    [ThreadStatic]
    private static L2Level[]? t_scratch;

    public static bool TryRead(ReadOnlySpan<byte> data, out L2Book? book)
    {
        book = null;
        try
        {
            var reader = new Utf8JsonReader(data);
            return TryRead(ref reader, out book) && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryRead(ref Utf8JsonReader reader, out L2Book? book)
    {
        book = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
        string? coin = null;
        long? time = null;
        IReadOnlyList<L2Level>[]? levels = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                if (coin is null || time is null || levels is null) return false;
                book = new L2Book(coin, time.Value, levels);
                return true;
            }

            if (reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped) return false;
            if (reader.ValueTextEquals("coin"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || coin is not null) return false;
                coin = Coin(reader.ValueSpan);
            }
            else if (reader.ValueTextEquals("time"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var t) || time is not null) return false;
                time = t;
            }
            else if (reader.ValueTextEquals("levels"u8))
            {
                if (levels is not null || !TryReadLevels(ref reader, out levels)) return false;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return false;
    }

    private static bool TryReadLevels(ref Utf8JsonReader reader, out IReadOnlyList<L2Level>[]? levels)
    {
        levels = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return false;
        IReadOnlyList<L2Level>? bids = null, asks = null;
        var sides = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray || sides == 2 || !TryReadSide(ref reader, out var side)) return false;
            if (sides++ == 0) bids = side;
            else asks = side;
        }

        if (reader.TokenType != JsonTokenType.EndArray) return false;
        levels = sides switch
        {
            0 => [],
            1 => [bids!],
            _ => [bids!, asks!],
        };
        return true;
    }

    private static bool TryReadSide(ref Utf8JsonReader reader, out IReadOnlyList<L2Level> side)
    {
        side = [];
        var scratch = t_scratch ??= new L2Level[32];
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject || !TryReadLevel(ref reader, out var level)) return false;
            if (count == scratch.Length)
            {
                if (count >= MaxLevelsKept) return false; // an unusual book: let the deserialiser handle it
                Array.Resize(ref scratch, count * 2);
                t_scratch = scratch;
            }

            scratch[count++] = level;
        }

        if (reader.TokenType != JsonTokenType.EndArray) return false;
        side = count == 0 ? [] : scratch.AsSpan(0, count).ToArray();
        return true;
    }

    private static bool TryReadLevel(ref Utf8JsonReader reader, out L2Level level)
    {
        level = default;
        decimal? px = null, sz = null;
        int? n = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped) return false;
            if (reader.ValueTextEquals("px"u8))
            {
                if (!reader.Read() || !TryDecimal(ref reader, out var v)) return false;
                px = v;
            }
            else if (reader.ValueTextEquals("sz"u8))
            {
                if (!reader.Read() || !TryDecimal(ref reader, out var v)) return false;
                sz = v;
            }
            else if (reader.ValueTextEquals("n"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var v)) return false;
                n = v;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (px is null || sz is null || n is null) return false;
        level = new L2Level(px.Value, sz.Value, n.Value);
        return true;
    }

    /// <summary>A decimal from a JSON string (how the venue sends prices and sizes), plain digits only.</summary>
    private static bool TryDecimal(ref Utf8JsonReader reader, out decimal value)
    {
        value = 0;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence) return false;
        var span = reader.ValueSpan;
        return span.Length > 0 && Utf8Parser.TryParse(span, out value, out var consumed) && consumed == span.Length;
    }

    private static string Coin(ReadOnlySpan<byte> utf8)
    {
        var coins = t_coins ??= new string[16];
        for (var i = 0; i < coins.Length; i++)
        {
            var known = coins[i];
            if (known is null) break;
            if (Matches(known, utf8)) return known;
        }

        var coin = System.Text.Encoding.UTF8.GetString(utf8);
        Array.Copy(coins, 0, coins, 1, coins.Length - 1); // newest first; the oldest falls out
        coins[0] = coin;
        return coin;
    }

    private static bool Matches(string known, ReadOnlySpan<byte> utf8)
    {
        if (known.Length != utf8.Length) return false; // coin names are ASCII; a non-ASCII one just misses the cache
        for (var i = 0; i < utf8.Length; i++)
        {
            if (known[i] != utf8[i]) return false;
        }

        return true;
    }
}
