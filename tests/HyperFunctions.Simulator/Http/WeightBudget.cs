using HyperFunctions.Simulator.Core;

namespace HyperFunctions.Simulator.Http;

/// <summary>The venue's per-IP REST weight budget over a rolling minute of simulator time.</summary>
internal sealed class WeightBudget(SimClock clock, int limitPerMinute)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<(DateTimeOffset At, int Weight)>> _spent = new(StringComparer.Ordinal);

    /// <summary>Spends the weight if the budget allows it; false means answer 429.</summary>
    public bool TrySpend(string ip, int weight)
    {
        lock (_gate)
        {
            var spent = Prune(ip);
            if (spent.Sum(e => e.Weight) + weight > limitPerMinute)
            {
                return false;
            }

            spent.Enqueue((clock.Now, weight));
            return true;
        }
    }

    /// <summary>Adds weight after the fact (the per-item surcharge of list answers); never refuses.</summary>
    public void Charge(string ip, int weight)
    {
        if (weight <= 0)
        {
            return;
        }

        lock (_gate)
        {
            Prune(ip).Enqueue((clock.Now, weight));
        }
    }

    private Queue<(DateTimeOffset At, int Weight)> Prune(string ip)
    {
        if (!_spent.TryGetValue(ip, out var spent))
        {
            spent = new Queue<(DateTimeOffset, int)>();
            _spent.Add(ip, spent);
        }

        var cutoff = clock.Now - Window;
        while (spent.Count > 0 && spent.Peek().At <= cutoff)
        {
            spent.Dequeue();
        }

        return spent;
    }
}
