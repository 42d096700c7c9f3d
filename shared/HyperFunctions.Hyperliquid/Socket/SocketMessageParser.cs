using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Serialization;

namespace HyperFunctions.Hyperliquid.Socket;

/// <summary>Result of parsing one frame.</summary>
internal enum ParseStatus
{
    /// <summary>A venue message; the event is set.</summary>
    Message,

    /// <summary>The plain-text greeting <c>Websocket connection established.</c>: ignore.</summary>
    Greeting,

    /// <summary>Not a venue message.</summary>
    Corrupt,
}

/// <summary>Wire channel names the client models.</summary>
internal enum ChannelKind
{
    Unknown,
    AllMids,
    L2Book,
    Trades,
    Bbo,
    Candle,
    UserFills,
    OrderUpdates,
    User,
    ActiveAssetCtx,
    SubscriptionResponse,
    Pong,
    Error,
}

/// <summary>
/// Hot path: one <see cref="Utf8JsonReader"/> pass finds <c>channel</c> (compared as UTF-8, no string)
/// and the byte range of <c>data</c> in any order; only <c>data</c> is then deserialised with
/// source-generated metadata for that channel.
/// </summary>
internal static class SocketMessageParser
{
    private static readonly HyperliquidJsonContext Json = HyperliquidJsonContext.Default;

    private static ReadOnlySpan<byte> GreetingText => "Websocket connection established."u8;

    public static ParseStatus Parse(ReadOnlySpan<byte> frame, out ChannelKind channel, out HyperliquidEvent? evt)
    {
        channel = ChannelKind.Unknown;
        evt = null;
        var trimmed = frame.Trim(" \r\n\t"u8);
        if (trimmed.SequenceEqual(GreetingText))
        {
            return ParseStatus.Greeting;
        }

        try
        {
            if (!Scan(trimmed, out channel, out var unknownName, out var data, out var hasData))
            {
                return ParseStatus.Corrupt;
            }

            evt = Build(channel, unknownName, data, hasData);
            return evt is null ? ParseStatus.Corrupt : ParseStatus.Message;
        }
        catch (JsonException)
        {
            return ParseStatus.Corrupt;
        }
        catch (InvalidOperationException)
        {
            return ParseStatus.Corrupt;
        }
        catch (ArgumentException)
        {
            return ParseStatus.Corrupt;
        }
    }

    private static bool Scan(ReadOnlySpan<byte> frame, out ChannelKind channel, out string? unknownName, out ReadOnlySpan<byte> data, out bool hasData)
    {
        channel = ChannelKind.Unknown;
        unknownName = null;
        data = default;
        hasData = false;
        var seenChannel = false;
        var reader = new Utf8JsonReader(frame, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("channel"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                channel = Identify(ref reader, out unknownName);
                seenChannel = true;
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                data = frame[start..(int)reader.BytesConsumed];
                hasData = true;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // The object must be complete and alone in the frame.
        return seenChannel && reader.TokenType == JsonTokenType.EndObject && !reader.Read();
    }

    private static ChannelKind Identify(ref Utf8JsonReader reader, out string? unknownName)
    {
        unknownName = null;
        if (reader.ValueTextEquals("l2Book"u8))
        {
            return ChannelKind.L2Book;
        }

        if (reader.ValueTextEquals("trades"u8))
        {
            return ChannelKind.Trades;
        }

        if (reader.ValueTextEquals("bbo"u8))
        {
            return ChannelKind.Bbo;
        }

        if (reader.ValueTextEquals("allMids"u8))
        {
            return ChannelKind.AllMids;
        }

        if (reader.ValueTextEquals("activeAssetCtx"u8))
        {
            return ChannelKind.ActiveAssetCtx;
        }

        if (reader.ValueTextEquals("candle"u8))
        {
            return ChannelKind.Candle;
        }

        if (reader.ValueTextEquals("userFills"u8))
        {
            return ChannelKind.UserFills;
        }

        if (reader.ValueTextEquals("orderUpdates"u8))
        {
            return ChannelKind.OrderUpdates;
        }

        if (reader.ValueTextEquals("user"u8))
        {
            return ChannelKind.User;
        }

        if (reader.ValueTextEquals("subscriptionResponse"u8))
        {
            return ChannelKind.SubscriptionResponse;
        }

        if (reader.ValueTextEquals("pong"u8))
        {
            return ChannelKind.Pong;
        }

        if (reader.ValueTextEquals("error"u8))
        {
            return ChannelKind.Error;
        }

        unknownName = reader.GetString();
        return ChannelKind.Unknown;
    }

    private static HyperliquidEvent? Build(ChannelKind channel, string? unknownName, ReadOnlySpan<byte> data, bool hasData)
    {
        if (channel == ChannelKind.Pong)
        {
            return new PongEvent();
        }

        if (!hasData)
        {
            return null;
        }

        return channel switch
        {
            ChannelKind.L2Book => L2BookReader.TryRead(data, out var book) ? new L2BookEvent(book!) : Map(data, Json.L2Book, static b => new L2BookEvent(b)),
            ChannelKind.Trades => Map(data, Json.ListTrade, static t => new TradesEvent(t)),
            ChannelKind.Bbo => Map(data, Json.Bbo, static b => new BboEvent(b)),
            ChannelKind.AllMids => Map(data, Json.AllMidsPayload, static m => new AllMidsEvent(m.Mids)),
            ChannelKind.ActiveAssetCtx => Map(data, Json.ActiveAssetContext, static c => new ActiveAssetCtxEvent(c)),
            ChannelKind.Candle => Map(data, Json.Candle, static c => new CandleEvent(c)),
            ChannelKind.UserFills => Map(data, Json.UserFillsPayload, static f => new UserFillsEvent(f)),
            ChannelKind.OrderUpdates => Map(data, Json.ListOrderWithStatus, static u => new OrderUpdatesEvent(u)),
            ChannelKind.User => Map(data, Json.UserEventPayload, static u => new UserEventsEvent(u)),
            ChannelKind.SubscriptionResponse => Map(data, Json.SubscriptionAck, static a => new SubscriptionAckEvent(a)),
            ChannelKind.Error => new VenueErrorEvent(ErrorText(data)),
            _ => new UnknownChannelEvent(unknownName ?? string.Empty, Encoding.UTF8.GetString(data)),
        };
    }

    private static HyperliquidEvent? Map<T>(ReadOnlySpan<byte> data, JsonTypeInfo<T> type, Func<T, HyperliquidEvent> wrap)
        where T : class
    {
        var value = JsonSerializer.Deserialize(data, type);
        return value is null ? null : wrap(value);
    }

    private static string ErrorText(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        reader.Read();
        return reader.TokenType == JsonTokenType.String ? reader.GetString() ?? string.Empty : Encoding.UTF8.GetString(data);
    }
}
