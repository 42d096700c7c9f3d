using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Socket;

namespace HyperFunctions.Benchmarks;

/// <summary>What a consumer does with each event: keep the latest book, bbo, mids and last trade per coin.</summary>
internal sealed class AppliedState
{
    private readonly Dictionary<string, L2Book> _books = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bbo> _bbos = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> _lastTrade = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, decimal>? _mids;

    public int DataMessages { get; private set; }

    public void Apply(HyperliquidEvent evt)
    {
        switch (evt)
        {
            case L2BookEvent b:
                _books[b.Book.Coin] = b.Book;
                break;
            case BboEvent b:
                _bbos[b.Bbo.Coin] = b.Bbo;
                break;
            case TradesEvent t:
                foreach (var trade in t.Trades)
                {
                    _lastTrade[trade.Coin] = trade.Px;
                }

                break;
            case AllMidsEvent m:
                _mids = m.Mids;
                break;
            default:
                return;
        }

        DataMessages++;
    }

    public int Checksum => _books.Count + _bbos.Count + _lastTrade.Count + (_mids?.Count ?? 0);
}
