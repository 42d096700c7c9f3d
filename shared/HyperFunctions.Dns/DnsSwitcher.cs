using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyperFunctions.Dns;

public enum DnsSwitchOutcome
{
    /// <summary>The record was changed and every nameserver answers the new content.</summary>
    Switched,

    /// <summary>The record already held the content (nothing was changed) and every nameserver answers it.</summary>
    AlreadyCurrent,

    /// <summary>The record holds the new content but some nameserver still answered otherwise when the timeout passed.</summary>
    PropagationTimedOut,

    /// <summary>The record could not be found or changed (detail says why); the verification did not run.</summary>
    Failed,
}

/// <summary>
/// The result of one switch, shaped for a failover hook step: an outcome, a one-line detail for the step's record, and the
/// per-nameserver report. Never contains a token.
/// </summary>
/// <param name="PreviousContent">The record's content before the switch (null when it could not be read).</param>
/// <param name="Ttl">The record's TTL, kept by the update.</param>
public sealed record DnsSwitchResult(
    DnsSwitchOutcome Outcome,
    string Detail,
    string Provider,
    string RecordName,
    DnsRecordType RecordType,
    string TargetContent,
    string? PreviousContent,
    int? Ttl,
    DnsPropagationReport? Propagation)
{
    /// <summary>The switch did what it should: the record holds the content and every nameserver says so.</summary>
    public bool Succeeded => Outcome is DnsSwitchOutcome.Switched or DnsSwitchOutcome.AlreadyCurrent;
}

/// <summary>
/// One DNS switch: find the record at the provider, say so if it already holds the target content, otherwise update it
/// (keeping its TTL), then verify on every configured nameserver with the TTL-derived timing. A record that already holds
/// the target is not written but still verified (an earlier switch may not have propagated). Failures become a
/// <see cref="DnsSwitchOutcome.Failed"/> result with a detail naming the cause; only cancellation escapes as an exception.
/// </summary>
public sealed partial class DnsSwitcher(
    IDnsProvider provider,
    DnsPropagationVerifier verifier,
    IOptions<DnsSwitchOptions> options,
    DnsMetrics metrics,
    ILogger<DnsSwitcher> logger)
{
    /// <summary>Points the record at <paramref name="targetSite"/>'s content from <c>Failover:Dns:Sites</c>.</summary>
    public Task<DnsSwitchResult> SwitchAsync(string targetSite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targetSite);
        var settings = options.Value;
        if (!settings.Sites.TryGetValue(targetSite, out var content))
        {
            DnsContent.TryParseType(settings.RecordType, out var type);
            var failed = new DnsSwitchResult(DnsSwitchOutcome.Failed,
                $"Failover:Dns:Sites has no content for site '{targetSite}' (configured: {string.Join(", ", settings.Sites.Keys.Order(StringComparer.Ordinal))}).",
                provider.Name, settings.RecordName, type, "", null, null, null);
            metrics.Switch(provider.Name, failed.Outcome);
            LogFailed(provider.Name, settings.RecordName, failed.Detail);
            return Task.FromResult(failed);
        }
        return SwitchToContentAsync(content, targetSite, cancellationToken);
    }

    /// <summary>Points the record at <paramref name="content"/>; <paramref name="site"/> only labels the log.</summary>
    public async Task<DnsSwitchResult> SwitchToContentAsync(string content, string? site, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var settings = options.Value;
        if (!DnsContent.TryParseType(settings.RecordType, out var type))
            throw new InvalidOperationException($"Failover:Dns:RecordType '{settings.RecordType}' is not supported (the options validation should have stopped the start).");
        var name = settings.RecordName.TrimEnd('.');
        if (!DnsContent.IsValid(type, content))
        {
            var invalid = new DnsSwitchResult(DnsSwitchOutcome.Failed, $"'{content}' is not valid content for the {type} record {name}; nothing was changed.",
                provider.Name, name, type, content, null, null, null);
            metrics.Switch(provider.Name, invalid.Outcome);
            LogFailed(provider.Name, name, invalid.Detail);
            return invalid;
        }
        var target = DnsContent.Normalize(type, content);
        LogStarted(provider.Name, name, type, target, site ?? "-");

        DnsRecord record;
        string? previous = null;
        bool changed;
        try
        {
            record = await provider.FindRecordAsync(settings.Zone, name, type, cancellationToken)
                ?? throw new DnsProviderException($"{provider.Name} has no {type} record named {name} in zone {settings.Zone}; create it once by hand, the switch only changes it.");
            previous = record.Content;
            changed = !IsExactly(record, type, target);
            if (changed)
            {
                var updated = await provider.UpdateRecordAsync(record, target, cancellationToken);
                if (!IsExactly(updated, type, target))
                    throw new DnsProviderException($"{provider.Name} accepted the update but the record reads {updated.Content}, not {target}.");
                record = record with { Ttl = updated.Ttl, ETag = updated.ETag };
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A provider failure explains itself; anything else is named by its type (its message holds no header or token).
            var cause = ex is DnsProviderException ? ex.Message : $"{provider.Name} call failed unexpectedly: {ex.GetType().Name}: {ex.Message}";
            var failed = new DnsSwitchResult(DnsSwitchOutcome.Failed, cause, provider.Name, name, type, target, previous, null, null);
            metrics.Switch(provider.Name, failed.Outcome);
            LogFailed(provider.Name, name, cause);
            return failed;
        }

        var timing = DnsVerificationTiming.For(record.Ttl, settings.VerifyTimeoutSeconds, settings.PollIntervalSeconds, settings.QueryTimeoutSeconds);
        var nameservers = settings.Nameservers.Select(DnsNameserver.Parse).ToArray();
        var report = await verifier.VerifyAsync(new DnsPropagationRequest(name, type, target, nameservers, timing), cancellationToken);
        metrics.Propagation(provider.Name, report.AllMatched, report.Elapsed);

        var outcome = !report.AllMatched ? DnsSwitchOutcome.PropagationTimedOut : changed ? DnsSwitchOutcome.Switched : DnsSwitchOutcome.AlreadyCurrent;
        var what = changed ? $"{name} {type} changed from {previous} to {target} at {provider.Name} (TTL {record.Ttl} s kept)" : $"{name} {type} already {target} at {provider.Name}; not changed";
        var detail = report.AllMatched
            ? $"{what}; all {report.Nameservers.Count} nameservers answer it after {report.Elapsed.TotalSeconds:F0} s."
            : $"{what}; after {report.Elapsed.TotalSeconds:F0} s {report.Lagging.Count()} of {report.Nameservers.Count} nameservers still answer otherwise: "
              + string.Join("; ", report.Lagging.Select(n => $"{n.Nameserver} answered {n.AnswerText}")) + ".";
        var result = new DnsSwitchResult(outcome, detail, provider.Name, name, type, target, previous, record.Ttl, report);
        metrics.Switch(provider.Name, outcome);
        LogFinished(provider.Name, DnsMetrics.OutcomeTag(outcome), detail);
        return result;
    }

    /// <summary>The record holds exactly the target (an Azure record set of several addresses does not, even when one of them is it).</summary>
    private static bool IsExactly(DnsRecord record, DnsRecordType type, string target)
    {
        var parts = record.Content.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 1 && DnsContent.SameContent(type, parts[0], target);
    }

    [LoggerMessage(EventId = 2410, Level = LogLevel.Information, Message = "DNS switch at {Provider}: {Name} {Type} → {Content} (site {Site}) started")]
    private partial void LogStarted(string provider, string name, DnsRecordType type, string content, string site);

    [LoggerMessage(EventId = 2411, Level = LogLevel.Information, Message = "DNS switch at {Provider} finished ({Outcome}): {Detail}")]
    private partial void LogFinished(string provider, string outcome, string detail);

    [LoggerMessage(EventId = 2412, Level = LogLevel.Error, Message = "DNS switch at {Provider} of {Name} failed: {Detail}")]
    private partial void LogFailed(string provider, string name, string detail);
}
