using HyperFunctions.Configuration;
using HyperFunctions.Domain.ServiceHealth;
using Azure.Data.Tables;
using HyperFunctions.Storage;

namespace HyperFunctions.Functions.ServiceHealth;

/// <summary>A configured probe: what the state machine knows of it and the action that runs it.</summary>
public sealed record ServiceProbe(ProbeSpec Spec, IServiceProbe Action);

/// <summary>Builds the probes of ServiceHealth:Checks (already validated by the configuration loader); none with ServiceHealth:Enabled false.</summary>
public static class ServiceProbeFactory
{
    public static IReadOnlyList<ServiceProbe> Create(LoadedConfiguration configuration, StorageClients storage, IHttpClientFactory clients)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(storage);
        if (!configuration.Settings.ServiceHealth.Enabled) return [];
        return configuration.Settings.ServiceHealth.EffectiveChecks.Select(p => Create(p, configuration.Settings.Storage.LedgerTable, storage.Tables, clients)).ToList();
    }

    /// <param name="ledgerTable">The table a table probe without Table queries.</param>
    public static ServiceProbe Create(ServiceProbeSettings p, string ledgerTable, TableServiceClient tables, IHttpClientFactory clients)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(tables);
        if (!ProbeKinds.TryParse(p.Type, out var kind)) throw new InvalidOperationException($"Probe {p.Name}: unknown type '{p.Type}'.");
        var name = p.Name ?? throw new InvalidOperationException("A probe has no name.");
        (IServiceProbe action, string target) = kind switch
        {
            ProbeKind.Http => Http(clients, p.Url!, p.Method, p.Body, p.ExpectedStatus, p.BodyContains),
            ProbeKind.Tcp => (new TcpServiceProbe(p.Host!, p.Port), $"{p.Host}:{p.Port}"),
            ProbeKind.Table => (new TableServiceProbe(tables.GetTableClient(p.Table ?? ledgerTable)), $"table {p.Table ?? ledgerTable}"),
            ProbeKind.Process when p.KeeperHealthUrl is { } keeper => Http(clients, keeper, "GET", null, 200, null),
            ProbeKind.Process => (new ProcessServiceProbe(p.ProcessName!), $"process {p.ProcessName}"),
            _ => throw new InvalidOperationException($"Probe {name}: no implementation for {kind}."),
        };
        var spec = new ProbeSpec(name, kind, p.Critical, p.FailureThreshold, TimeSpan.FromSeconds(p.IntervalSeconds), TimeSpan.FromSeconds(p.TimeoutSeconds),
            ProbeText.Scrub(target), p.Site);
        return new ServiceProbe(spec, action);
    }

    private static (IServiceProbe, string) Http(IHttpClientFactory clients, string url, string? method, string? body, int expected, string? bodyContains)
    {
        var verb = new HttpMethod((method ?? "GET").ToUpperInvariant());
        return (new HttpServiceProbe(clients, new Uri(url), verb, body, expected, bodyContains), $"{verb} {url}");
    }
}
