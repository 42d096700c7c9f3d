namespace HyperFunctions.Functions.Http;

/// <summary>How the app is hosted: under the Functions host (custom handler) or on its own (self-host).</summary>
public enum HostingMode
{
    SelfHost,
    CustomHandler,
}

public sealed record HostingInfo(HostingMode Mode)
{
    /// <summary>Set by the Functions host for a custom handler: the port it will call.</summary>
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public string Name => Mode == HostingMode.CustomHandler ? "custom-handler" : "self-host";

    /// <summary>In custom-handler mode the Functions host has already checked the key before forwarding.</summary>
    public bool ChecksKeys => Mode == HostingMode.SelfHost;
}
