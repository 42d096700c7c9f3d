using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Azure.Data.Tables;
using HyperFunctions.Domain.ServiceHealth;

namespace HyperFunctions.Functions.ServiceHealth;

/// <summary>
/// One probe's action: completes when the target is healthy, throws <see cref="ProbeFailedException"/>
/// (or any exception) when it is not. One attempt, no retries: the failure threshold is the retry. The
/// token carries the probe's timeout; the monitor also bounds a probe that ignores it.
/// </summary>
public interface IServiceProbe
{
    Task RunAsync(CancellationToken ct);
}

/// <summary>A probe's own verdict on its target; the message is shown as the probe's last error.</summary>
public sealed class ProbeFailedException(string message) : Exception(message);

/// <summary>http: one request; healthy when the status code is the expected one and the body holds the expected text.</summary>
public sealed class HttpServiceProbe(IHttpClientFactory clients, Uri url, HttpMethod method, string? body, int expectedStatus, string? bodyContains) : IServiceProbe
{
    /// <summary>The named client the probes use: no resilience handler, no client timeout (the probe's timeout applies).</summary>
    public const string ClientName = "ServiceHealth";

    /// <summary>At most this much of a body is read to look for the expected text.</summary>
    public const int MaxBodyChars = 1 << 20;

    public async Task RunAsync(CancellationToken ct)
    {
        using var client = clients.CreateClient(ClientName);
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if ((int)response.StatusCode != expectedStatus)
            throw new ProbeFailedException($"HTTP {(int)response.StatusCode} (expected {expectedStatus})");
        if (bodyContains is null) return;
        var text = await ReadPrefixAsync(response, ct);
        if (!text.Contains(bodyContains, StringComparison.Ordinal))
            throw new ProbeFailedException($"HTTP {(int)response.StatusCode} but the body does not contain the expected text ({text.Length} characters read)");
    }

    private static async Task<string> ReadPrefixAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[MaxBodyChars];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await reader.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0) break;
            read += n;
        }
        return new string(buffer, 0, read);
    }
}

/// <summary>tcp: healthy when the port accepts a connection (closed again at once).</summary>
public sealed class TcpServiceProbe(string host, int port) : IServiceProbe
{
    public async Task RunAsync(CancellationToken ct)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, ct);
        }
        catch (SocketException ex)
        {
            throw new ProbeFailedException($"TCP connect to {host}:{port} failed: {ex.SocketErrorCode}");
        }
    }
}

/// <summary>table: healthy when a query for one entity's partition key answers (an empty table is fine; a missing one is not).</summary>
public sealed class TableServiceProbe(TableClient table) : IServiceProbe
{
    public async Task RunAsync(CancellationToken ct)
    {
        await foreach (var _ in table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: ct).AsPages(pageSizeHint: 1))
            break;
    }
}

/// <summary>process by name: healthy while at least one process of that name runs on this machine.</summary>
public sealed class ProcessServiceProbe(string processName) : IServiceProbe
{
    public Task RunAsync(CancellationToken ct)
    {
        var found = Process.GetProcessesByName(processName);
        try
        {
            return found.Length > 0 ? Task.CompletedTask : throw new ProbeFailedException($"no process named '{processName}' runs on this machine");
        }
        finally
        {
            foreach (var p in found) p.Dispose();
        }
    }
}
