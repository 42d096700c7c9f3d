using HyperFunctions.Hyperliquid.Configuration;
using HyperFunctions.Hyperliquid.Policies;
using HyperFunctions.Hyperliquid.Socket;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HyperFunctions.Benchmarks;

internal static class KeeperFactory
{
    public static HyperliquidSocket Create(Uri wsUrl, bool inlineDelivery = false)
    {
        var options = new HyperliquidOptions { WsUrl = wsUrl, RestUrl = new Uri("http://127.0.0.1:1") };
        options.Socket.InlineDelivery = inlineDelivery;
        options.Socket.BackoffResetAfter = TimeSpan.Zero; // every session that delivered data resets the backoff
        return new HyperliquidSocket(Options.Create(options), TimeProvider.System, SharedRandomSource.Instance, NullLogger<HyperliquidSocket>.Instance);
    }
}
