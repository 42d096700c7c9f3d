namespace HyperFunctions.Domain.Alerts;

/// <summary>
/// Level → channel names (Alerts:Routes). A notification at a level goes to that level's channels; a resolve
/// goes to every channel that could have heard of the alert: the channels of each level from the one it
/// opened at to the one it reached.
/// </summary>
public sealed class AlertRouting
{
    private readonly Dictionary<AlertLevel, IReadOnlyList<string>> _routes;

    public AlertRouting(IReadOnlyDictionary<AlertLevel, IReadOnlyList<string>> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        _routes = routes.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value.Distinct(StringComparer.Ordinal).ToArray());
    }

    public static AlertRouting None { get; } = new(new Dictionary<AlertLevel, IReadOnlyList<string>>());

    public IReadOnlyList<string> ChannelsFor(AlertLevel level) => _routes.GetValueOrDefault(level) ?? [];

    /// <summary>The channels a notification of <paramref name="alert"/> goes to.</summary>
    public IReadOnlyList<string> ChannelsFor(AlertState alert, AlertNotification notification)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(notification);
        if (notification.Action != AlertAction.Resolve) return ChannelsFor(notification.Level);
        var low = (int)(alert.OpenedLevel < alert.Level ? alert.OpenedLevel : alert.Level);
        return Enumerable.Range(low, (int)alert.Level - low + 1).SelectMany(l => ChannelsFor((AlertLevel)l)).Distinct(StringComparer.Ordinal).ToArray();
    }
}
