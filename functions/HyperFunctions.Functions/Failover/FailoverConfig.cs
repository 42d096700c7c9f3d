using HyperFunctions.Configuration;
using HyperFunctions.Domain.Failover;

namespace HyperFunctions.Functions.Failover;

/// <summary>The validated Failover section in the shape the coordinator uses.</summary>
public sealed class FailoverConfig
{
    public FailoverConfig(LoadedConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = configuration.Settings.Failover;
        Enabled = settings.Enabled;
        Sites = settings.EffectiveSites;
        Primary = Sites.Count > 0 ? Sites[0].Name! : "";
        Backup = Sites.Count > 1 ? Sites[1].Name! : "";
        ThisSite = settings.Site ?? Primary;
        Automatic = settings.AutomaticIn(configuration.Settings.Deployment.Mode);
        Limits = new FailoverLimits(TimeSpan.FromSeconds(settings.CooldownSeconds), settings.DailyCap);
        CacheFor = TimeSpan.FromSeconds(settings.ActiveSiteCacheSeconds);
        HandBackFor = TimeSpan.FromSeconds(settings.PassiveHandBackSeconds);
        Hooks = settings.EffectiveHooks.Select(h => new HookSpec(
            h.Name!, h.Kind!, TimeSpan.FromSeconds(h.TimeoutSeconds),
            h.OnFailure == "continue" ? HookFailurePolicy.Continue : HookFailurePolicy.AbortAndRollBack,
            (h.Runs ?? []).Select(r => r == "failback" ? FailoverKind.Failback : FailoverKind.Failover).ToHashSet(),
            BuiltInSettings(h))).ToList();
        // A run's lease outlives its slowest step, so only a dead run can be adopted.
        Lease = TimeSpan.FromSeconds(Hooks.Select(h => h.Timeout.TotalSeconds).DefaultIfEmpty(0).Max() + 60);
    }

    public bool Enabled { get; }
    public IReadOnlyList<FailoverSiteSettings> Sites { get; }
    public string Primary { get; }
    public string Backup { get; }

    /// <summary>Failover:Site (the primary when failover is off).</summary>
    public string ThisSite { get; }

    public bool Automatic { get; }
    public FailoverLimits Limits { get; }
    public TimeSpan CacheFor { get; }

    /// <summary>Failover:PassiveHandBackSeconds: how long a passive process hands intents back before it blocks them.</summary>
    public TimeSpan HandBackFor { get; }
    public IReadOnlyList<HookSpec> Hooks { get; }
    public TimeSpan Lease { get; }

    public FailoverSiteSettings? Site(string name) => Sites.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public (string From, string To) Direction(FailoverKind kind) => kind == FailoverKind.Failover ? (Primary, Backup) : (Backup, Primary);

    private static Dictionary<string, string> BuiltInSettings(FailoverHookSettings h)
    {
        var d = new Dictionary<string, string>(h.Settings ?? [], StringComparer.Ordinal);
        if (h.Mode is not null) d["mode"] = h.Mode;
        if (h.Url is not null) d["url"] = h.Url;
        if (h.Method is not null) d["method"] = h.Method;
        return d;
    }
}
