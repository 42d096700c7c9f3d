namespace HyperFunctions.Hyperliquid.Configuration;

/// <summary>Configuration section <c>Hyperliquid</c>: endpoints, REST resilience, WebSocket keeper.</summary>
public sealed class HyperliquidOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Hyperliquid";

    /// <summary>Venue; for testnet/mainnet the URLs default to the public endpoints.</summary>
    public HyperliquidNetwork Network { get; set; } = HyperliquidNetwork.Simulator;

    /// <summary>REST base URL (<c>POST {RestUrl}/info</c>, <c>/exchange</c>); required for the simulator.</summary>
    public Uri? RestUrl { get; set; }

    /// <summary>WebSocket URL (ends in <c>/ws</c>); required for the simulator.</summary>
    public Uri? WsUrl { get; set; }

    /// <summary>REST client settings.</summary>
    public HyperliquidRestOptions Rest { get; set; } = new();

    /// <summary>WebSocket keeper settings.</summary>
    public HyperliquidSocketOptions Socket { get; set; } = new();

    /// <summary>The REST URL in force (explicit or the network default).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Uri ResolvedRestUrl => RestUrl ?? Network switch
    {
        HyperliquidNetwork.Mainnet => new Uri("https://api.hyperliquid.xyz"),
        HyperliquidNetwork.Testnet => new Uri("https://api.hyperliquid-testnet.xyz"),
        _ => throw new InvalidOperationException("Hyperliquid:RestUrl is required when Hyperliquid:Network is Simulator."),
    };

    /// <summary>The WebSocket URL in force (explicit or the network default).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Uri ResolvedWsUrl => WsUrl ?? Network switch
    {
        HyperliquidNetwork.Mainnet => new Uri("wss://api.hyperliquid.xyz/ws"),
        HyperliquidNetwork.Testnet => new Uri("wss://api.hyperliquid-testnet.xyz/ws"),
        _ => throw new InvalidOperationException("Hyperliquid:WsUrl is required when Hyperliquid:Network is Simulator."),
    };
}
