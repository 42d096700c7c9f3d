using System.Text.Json;

namespace HyperFunctions.Functions.Hosting;

/// <summary>
/// The host.json queue settings self-host mode honours, with the Functions host's defaults
/// (maxDequeueCount 5, visibilityTimeout 0, maxPollingInterval 1 min, batchSize 16).
/// </summary>
public sealed record HostJsonSettings(int MaxDequeueCount, TimeSpan VisibilityTimeout, TimeSpan MaxPollingInterval, int BatchSize)
{
    /// <summary>
    /// How long a received message stays hidden while its function runs in self-host mode (so how long a
    /// message of a process that died stays hidden). Not a host.json setting: the Functions host holds a
    /// message for 10 minutes and renews it; self-host holds it 5 minutes. The crash test shortens it.
    /// </summary>
    public TimeSpan ProcessingLease { get; init; } = TimeSpan.FromMinutes(5);

    public static HostJsonSettings Defaults { get; } = new(5, TimeSpan.Zero, TimeSpan.FromMinutes(1), 16);

    public static HostJsonSettings Load(string baseDirectory)
    {
        var path = Path.Combine(baseDirectory, "host.json");
        if (!File.Exists(path)) return Defaults;
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty("extensions", out var ext) || !ext.TryGetProperty("queues", out var q)) return Defaults;
        return new HostJsonSettings(
            q.TryGetProperty("maxDequeueCount", out var m) ? m.GetInt32() : Defaults.MaxDequeueCount,
            q.TryGetProperty("visibilityTimeout", out var v) ? TimeSpan.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : Defaults.VisibilityTimeout,
            q.TryGetProperty("maxPollingInterval", out var p) ? TimeSpan.Parse(p.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : Defaults.MaxPollingInterval,
            q.TryGetProperty("batchSize", out var b) ? b.GetInt32() : Defaults.BatchSize);
    }
}
