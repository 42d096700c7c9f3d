namespace HyperFunctions.Simulator.Market;

/// <summary>A price-time priority book of one coin: market-maker and user orders together.</summary>
internal sealed class OrderBook
{
    private readonly SortedDictionary<decimal, List<Order>> _bids = new(Comparer<decimal>.Create((a, b) => b.CompareTo(a)));
    private readonly SortedDictionary<decimal, List<Order>> _asks = new();
    private readonly Dictionary<long, Order> _byOid = [];

    public decimal? BestBid => _bids.Count == 0 ? null : _bids.First().Key;

    public decimal? BestAsk => _asks.Count == 0 ? null : _asks.First().Key;

    public bool Contains(long oid) => _byOid.ContainsKey(oid);

    public Order? Find(long oid) => _byOid.GetValueOrDefault(oid);

    public void Add(Order order)
    {
        var side = order.IsBuy ? _bids : _asks;
        if (!side.TryGetValue(order.LimitPx, out var level))
        {
            level = [];
            side.Add(order.LimitPx, level);
        }

        level.Add(order);
        _byOid.Add(order.Oid, order);
    }

    public bool Remove(Order order)
    {
        if (!_byOid.Remove(order.Oid))
        {
            return false;
        }

        var side = order.IsBuy ? _bids : _asks;
        if (side.TryGetValue(order.LimitPx, out var level))
        {
            level.Remove(order);
            if (level.Count == 0)
            {
                side.Remove(order.LimitPx);
            }
        }

        return true;
    }

    /// <summary>The first order in time priority at the best level opposite to a taker.</summary>
    public Order? BestOpposite(bool takerIsBuy)
    {
        var side = takerIsBuy ? _asks : _bids;
        return side.Count == 0 ? null : side.First().Value[0];
    }

    public IReadOnlyList<Order> OrdersOf(string user) => _byOid.Values.Where(o => o.User == user).OrderBy(o => o.Oid).ToList();

    public void RemoveMarketMakerOrders()
    {
        foreach (var order in _byOid.Values.Where(o => o.IsMarketMaker).ToList())
        {
            Remove(order);
        }
    }

    /// <summary>Aggregated levels (price, total size, order count), best first.</summary>
    public IReadOnlyList<(decimal Px, decimal Sz, int N)> Levels(bool bids, int max)
    {
        var side = bids ? _bids : _asks;
        return side.Take(max).Select(kv => (kv.Key, kv.Value.Sum(o => o.Sz), kv.Value.Count)).ToList();
    }
}
