namespace HyperFunctions.Configuration;

/// <summary>
/// What the schema cannot say about Failover: Site names one of the two sites, site checks name probes,
/// probe sites name sites, hook names are unique, each run kind has exactly one switchSite hook, and the
/// built-in kinds have the fields they need. Kinds the code registers are checked by the function app at
/// start (it knows the registrations). Each message names the setting as an override would.
/// </summary>
public static class FailoverSettingsValidator
{
    /// <summary>The kinds built into the function app.</summary>
    public static readonly IReadOnlyList<string> BuiltInKinds = ["setSafetyMode", "cancelAll", "switchSite", "http", "runChecks", "reconcile", "venueConnection"];

    public static void Validate(FailoverSettings failover, ServiceHealthSettings serviceHealth, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(failover);
        ArgumentNullException.ThrowIfNull(serviceHealth);
        ArgumentNullException.ThrowIfNull(errors);
        var probes = serviceHealth.EffectiveChecks.Select(p => p.Name).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!failover.Enabled)
        {
            if (failover.Site is not null)
                errors.Add($"Failover:Site is '{failover.Site}' but Failover:Sites is empty: list the two sites or leave Site out.");
            return; // a probe's Site is then only a label

        }

        var sites = failover.EffectiveSites;
        if (sites.Count != 2) errors.Add($"Failover:Sites lists {sites.Count} site(s); it needs exactly two (the primary first, then the backup).");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < sites.Count; i++)
        {
            var site = sites[i];
            if (string.IsNullOrWhiteSpace(site.Name)) errors.Add($"Failover:Sites:{i}:Name is missing.");
            else if (!names.Add(site.Name)) errors.Add($"Failover:Sites:{i}:Name '{site.Name}' is used by another site.");
            foreach (var (check, j) in (site.Checks ?? []).Select((c, j) => (c, j)))
                if (!probes.Contains(check)) errors.Add($"Failover:Sites:{i}:Checks:{j} '{check}' is not a ServiceHealth:Checks probe name.");
        }
        if (failover.Site is null) errors.Add($"Failover:Site is missing: every process must say which of {string.Join(", ", names)} it runs on.");
        else if (!names.Contains(failover.Site)) errors.Add($"Failover:Site '{failover.Site}' is not one of Failover:Sites ({string.Join(", ", names)}).");
        foreach (var (probe, i) in serviceHealth.EffectiveChecks.Select((p, i) => (p, i)))
            if (probe.Site is not null && !names.Contains(probe.Site)) errors.Add($"ServiceHealth:Checks:{i}:Site '{probe.Site}' is not one of Failover:Sites ({string.Join(", ", names)}).");

        var hookNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var hooks = failover.Hooks ?? [];
        for (var i = 0; i < hooks.Count; i++)
        {
            var hook = hooks[i];
            var key = $"Failover:Hooks:{i}";
            if (string.IsNullOrWhiteSpace(hook.Name)) errors.Add($"{key}:Name is missing.");
            else if (!hookNames.Add(hook.Name)) errors.Add($"{key}:Name '{hook.Name}' is used by another hook.");
            if (string.IsNullOrWhiteSpace(hook.Kind)) errors.Add($"{key}:Kind is missing.");
            if (hook.OnFailure is not ("abortAndRollBack" or "continue")) errors.Add($"{key}:OnFailure '{hook.OnFailure}' is not abortAndRollBack or continue.");
            if (hook.Runs is { } runs && runs.Any(r => r is not ("failover" or "failback"))) errors.Add($"{key}:Runs may hold only failover and failback.");
            switch (hook.Kind)
            {
                case "http":
                    if (hook.Url is null || !Uri.TryCreate(hook.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                        errors.Add($"{key}:Url is missing or not an absolute http(s) URL (an http hook needs one).");
                    break;
                case "setSafetyMode":
                    if (hook.Mode is not (null or "ARMED_SAFE" or "HALT")) errors.Add($"{key}:Mode '{hook.Mode}' is not ARMED_SAFE or HALT.");
                    break;
                case "switchSite":
                    if (hook.OnFailure == "continue") errors.Add($"{key}: a switchSite hook cannot continue on failure (nothing switched); use abortAndRollBack.");
                    break;
            }
        }
        foreach (var kind in new[] { "failover", "failback" })
        {
            var switches = failover.EffectiveHooks.Count(h => h.Kind == "switchSite" && (h.Runs is null || h.Runs.Count == 0 || h.Runs.Contains(kind)));
            if (switches != 1) errors.Add($"Failover:Hooks has {switches} enabled switchSite hook(s) for a {kind}; it needs exactly one.");
        }
        if (failover.CooldownSeconds < 0) errors.Add("Failover:CooldownSeconds must not be negative.");
        if (failover.PassiveHandBackSeconds is < 0 or > 3600) errors.Add($"Failover:PassiveHandBackSeconds must be between 0 and 3600; got {failover.PassiveHandBackSeconds}.");
        if (failover.DailyCap < 1) errors.Add("Failover:DailyCap must be at least 1.");
    }
}
