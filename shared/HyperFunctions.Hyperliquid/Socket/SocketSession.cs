using System.Net.WebSockets;

namespace HyperFunctions.Hyperliquid.Socket;

/// <summary>One live connection: the socket, its send lock and what the keeper knows of it.</summary>
internal sealed class SocketSession(ClientWebSocket socket, long attempt, DateTimeOffset attemptStartedAt, DateTimeOffset openedAt) : IDisposable
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private long _lastMessageTicks = openedAt.UtcTicks;

    public ClientWebSocket Socket { get; } = socket;

    public long Attempt { get; } = attempt;

    public DateTimeOffset AttemptStartedAt { get; } = attemptStartedAt;

    public DateTimeOffset OpenedAt { get; } = openedAt;

    /// <summary>Completed with the reason the session must end (first writer wins).</summary>
    public TaskCompletionSource<(DisconnectKind Kind, string? Detail)> End { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Subscriptions were sent on this session (guarded by the keeper's lock).</summary>
    public bool Ready { get; set; }

    /// <summary>When data first flowed on this session (guarded by the keeper's lock).</summary>
    public DateTimeOffset? DataSince { get; set; }

    /// <summary>Lock-free flag for the hot path: data has flowed.</summary>
    public volatile bool DataFlowing;

    public DateTimeOffset LastMessageAt => new(Interlocked.Read(ref _lastMessageTicks), TimeSpan.Zero);

    public void Touch(DateTimeOffset now) => Interlocked.Exchange(ref _lastMessageTicks, now.UtcTicks);

    public void Finish(DisconnectKind kind, string? detail = null) => End.TrySetResult((kind, detail));

    public async Task SendAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await Socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public void Dispose()
    {
        Socket.Dispose();
        _sendLock.Dispose();
    }
}
