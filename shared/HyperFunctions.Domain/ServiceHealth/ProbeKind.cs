namespace HyperFunctions.Domain.ServiceHealth;

/// <summary>What a service probe looks at. Config and wire names are lower case: http, tcp, table, process.</summary>
public enum ProbeKind
{
    /// <summary>An HTTP request answered with the expected status code (and optionally body text).</summary>
    Http,
    /// <summary>A TCP connection accepted.</summary>
    Tcp,
    /// <summary>A cheap query on an Azure Storage table answered.</summary>
    Table,
    /// <summary>A named process running on this machine, or the stream keeper's /health answering 200.</summary>
    Process,
}

public static class ProbeKinds
{
    public static IReadOnlyList<string> Names { get; } = ["http", "tcp", "table", "process"];

    public static string ToWire(this ProbeKind kind) => kind switch
    {
        ProbeKind.Http => "http",
        ProbeKind.Tcp => "tcp",
        ProbeKind.Table => "table",
        ProbeKind.Process => "process",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a defined probe kind."),
    };

    /// <summary>Parses a config name (case-insensitive).</summary>
    public static bool TryParse(string? name, out ProbeKind kind)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "http": kind = ProbeKind.Http; return true;
            case "tcp": kind = ProbeKind.Tcp; return true;
            case "table": kind = ProbeKind.Table; return true;
            case "process": kind = ProbeKind.Process; return true;
            default: kind = default; return false;
        }
    }
}
