using HyperFunctions.Configuration;
using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Rest;

namespace HyperFunctions.Functions.Checks;

/// <summary>
/// The staleness check's second opinion: l2Book from Checks:Staleness:BackupRestUrl (another
/// Hyperliquid-compatible /info endpoint), over its own named HttpClient with a short timeout. Null when
/// no backup is configured.
/// </summary>
public sealed class BackupBookSource(IHttpClientFactory clients, LoadedConfiguration configuration)
{
    public const string ClientName = "staleness-backup";

    private readonly Uri? _info = configuration.Settings.Checks.Staleness.BackupRestUrl is { } url ? new Uri(new Uri(url.TrimEnd('/') + "/"), "info") : null;

    public bool Configured => _info is not null;

    public async Task<L2Book> GetL2BookAsync(string coin, CancellationToken ct)
    {
        var info = _info ?? throw new InvalidOperationException("No backup source is configured (Checks:Staleness:BackupRestUrl).");
        using var content = new ByteArrayContent(InfoWire.L2BookRequest(coin));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await clients.CreateClient(ClientName).PostAsync(info, content, ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"backup source answered {(int)response.StatusCode}", null, response.StatusCode);
        return InfoWire.ReadL2Book(await response.Content.ReadAsByteArrayAsync(ct));
    }
}
