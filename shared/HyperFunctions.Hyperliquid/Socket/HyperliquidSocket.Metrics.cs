namespace HyperFunctions.Hyperliquid.Socket;

/// <summary>Per-channel message counts for the metrics (one increment per parsed frame, no allocation).</summary>
public sealed partial class HyperliquidSocket
{
    private readonly long[] _messagesByChannel = new long[Enum.GetValues<ChannelKind>().Length];

    /// <summary>Messages parsed so far, indexed by <see cref="ChannelKind"/>.</summary>
    internal long[] MessageCountsByChannel()
    {
        var copy = new long[_messagesByChannel.Length];
        for (var i = 0; i < copy.Length; i++) copy[i] = Interlocked.Read(ref _messagesByChannel[i]);
        return copy;
    }

    private void CountMessage(ChannelKind channel) => Interlocked.Increment(ref _messagesByChannel[(int)channel]);
}
