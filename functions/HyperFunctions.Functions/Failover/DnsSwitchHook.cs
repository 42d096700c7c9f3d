using HyperFunctions.Domain.Failover;
using HyperFunctions.Dns;
using Microsoft.Extensions.Options;

namespace HyperFunctions.Functions.Failover;

/// <summary>
/// dns: points the failover record (<c>Failover:Dns</c>, docs/dns-switch.md) at the content of the site the run activates
/// (the backup on failover, the primary on failback) through <see cref="DnsSwitcher"/>, then verifies it on every configured
/// nameserver; rollback points it back at the site the run started from. The step's detail is the switch's one-line detail
/// followed by one entry per nameserver. Success is <see cref="DnsSwitchResult.Succeeded"/>: a record that changed but did not
/// reach every nameserver before the verification timeout is a failed step (the detail names the lagging ones).
/// The switcher is registered only when <c>Failover:Dns</c> is configured; without it a dns hook is a start-up error.
/// </summary>
public sealed class DnsSwitchHook(IServiceProvider services) : IFailoverHookKind
{
    public string Kind => "dns";

    private DnsSwitcher? Switcher => services.GetService<DnsSwitcher>();

    public IEnumerable<string> Validate(HookSpec hook, string key)
    {
        if (services.GetService<IServiceProviderIsService>() is { } registry && !registry.IsService(typeof(DnsSwitcher)))
            yield return $"{key}: a dns hook needs the {DnsSwitchOptions.SectionName} section (provider, zone, record, content per site, nameservers; docs/dns-switch.md), which is not configured.";
    }

    public Task<HookPreview> PreviewAsync(HookContext context, CancellationToken ct)
    {
        if (Switcher is null) return Task.FromResult(new HookPreview("Switch the DNS record.", [new Precondition($"{DnsSwitchOptions.SectionName} is configured", false)]));
        var options = services.GetRequiredService<IOptions<DnsSwitchOptions>>().Value;
        var content = options.Sites.GetValueOrDefault(context.ToSite);
        var preconditions = new List<Precondition>
        {
            new($"{DnsSwitchOptions.SectionName}:Sites has content for {context.ToSite}", content is not null,
                content is null ? $"configured: {string.Join(", ", options.Sites.Keys.Order(StringComparer.Ordinal))}" : null),
        };
        if (DnsProviders.UsesTokenVariable(options.Provider))
        {
            var set = services.GetRequiredService<DnsEnvironment>().Read(options.TokenVariable) is not null;
            preconditions.Add(new($"The environment variable {options.TokenVariable} holds the {options.Provider} API token", set,
                set ? null : $"{options.TokenVariable} is not set."));
        }
        var from = options.Sites.GetValueOrDefault(context.FromSite) ?? "?";
        return Task.FromResult(new HookPreview(
            $"Point {options.RecordName} {options.RecordType} at {options.Provider} from {from} (site {context.FromSite}) to {content ?? "?"} (site {context.ToSite}), keeping its TTL, "
            + $"then verify on {options.Nameservers.Count} nameserver(s) ({string.Join(", ", options.Nameservers)}). "
            + "The record is not looked up in a dry-run (no provider call): that it exists once is checked by the real run.",
            preconditions));
    }

    public async Task<HookResult> RunAsync(HookContext context, CancellationToken ct)
    {
        if (Switcher is not { } switcher) return NotConfigured;
        var result = await switcher.SwitchAsync(context.ToSite, ct);
        if (result.Succeeded || result.Outcome != DnsSwitchOutcome.PropagationTimedOut || context.Hook.OnFailure != HookFailurePolicy.AbortAndRollBack)
            return new HookResult(result.Succeeded, Describe(result));
        // The record was changed but did not reach every nameserver in time. The coordinator rolls back only the steps that
        // succeeded, so this step puts the record back itself: otherwise the name would point at a site that is not active.
        var back = await switcher.SwitchAsync(context.FromSite, ct);
        return HookResult.Fail($"{Describe(result)} Put back to site {context.FromSite} because the run rolls back: {Describe(back)}");
    }

    public async Task<HookResult?> RollBackAsync(HookContext context, CancellationToken ct) => await SwitchAsync(context.FromSite, ct);

    private async Task<HookResult> SwitchAsync(string site, CancellationToken ct)
    {
        if (Switcher is not { } switcher) return NotConfigured;
        var result = await switcher.SwitchAsync(site, ct);
        return new HookResult(result.Succeeded, Describe(result));
    }

    private static HookResult NotConfigured => HookResult.Fail($"{DnsSwitchOptions.SectionName} is not configured, so there is no DNS record to switch.");

    /// <summary>The switch's detail plus one entry per nameserver: what it answered, whether it matched, after how long and how many queries.</summary>
    public static string Describe(DnsSwitchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Propagation is not { } report) return result.Detail;
        var entries = report.Nameservers.Select(n =>
            $"{n.Nameserver}: {(n.Matched ? $"matched after {n.TimeToMatch?.TotalSeconds ?? 0:F0} s" : "not matched")}, answered {n.AnswerText}, {n.Attempts} quer{(n.Attempts == 1 ? "y" : "ies")}");
        return $"{result.Detail} Nameservers: {string.Join("; ", entries)}.";
    }
}
