using System.Collections.Concurrent;

namespace HyperFunctions.Simulator.WebSockets;

/// <summary>The open connections, and fan-out of a message to those subscribed to a key.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<long, WsConnection> _connections = new();
    private long _nextId;

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Add(WsConnection connection) => _connections[connection.Id] = connection;

    public void Remove(WsConnection connection) => _connections.TryRemove(connection.Id, out _);

    public IReadOnlyList<WsConnection> Snapshot() => _connections.Values.OrderBy(c => c.Id).ToList();

    public bool HasSubscribers(string key) => _connections.Values.Any(c => c.HasSubscription(key));

    public void Publish(string key, ReadOnlyMemory<byte> payload)
    {
        foreach (var connection in _connections.Values)
        {
            if (connection.HasSubscription(key))
            {
                connection.Send(payload);
            }
        }
    }

    /// <summary>Distinct subscriptions (by key) matching a predicate, across connections.</summary>
    public IReadOnlyList<Subscription> DistinctSubscriptions(Func<Subscription, bool> match) =>
        _connections.Values
            .SelectMany(c => c.Subscriptions())
            .Where(match)
            .DistinctBy(s => s.Key)
            .ToList();

    public void Unsilence(long? faultId)
    {
        foreach (var connection in _connections.Values)
        {
            connection.Unsilence(faultId);
        }
    }

    public void AbortAll()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Abort();
        }
    }
}
