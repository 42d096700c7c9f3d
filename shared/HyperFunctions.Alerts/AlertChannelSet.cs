using System.Net.Mail;
using HyperFunctions.Alerts.Channels;
using HyperFunctions.Configuration;

namespace HyperFunctions.Alerts;

/// <summary>The configured channels by name (validated at start by the configuration loader), disabled ones included.</summary>
public sealed class AlertChannelSet
{
    private readonly Dictionary<string, (IAlertChannel Channel, bool Enabled)> _channels = new(StringComparer.Ordinal);

    public AlertChannelSet(LoadedConfiguration configuration, IHttpClientFactory clients)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var alerts = configuration.Settings.Alerts;
        var timeout = TimeSpan.FromSeconds(alerts.DeliveryTimeoutSeconds);
        foreach (var c in alerts.Channels ?? [])
        {
            var secret = configuration.Secrets.AlertSecrets.GetValueOrDefault(c.Name);
            IAlertChannel channel = c.Kind switch
            {
                AlertChannelKinds.Webhook => new WebhookChannel(c.Name, new Uri(c.Url!), secret, clients),
                AlertChannelKinds.Slack => new SlackChannel(c.Name, secret, c.SecretVariable, clients),
                AlertChannelKinds.PagerDuty => new PagerDutyChannel(c.Name, new Uri(c.Url ?? AlertChannelKinds.DefaultPagerDutyUrl), secret, c.SecretVariable, clients),
                AlertChannelKinds.Smtp => new SmtpChannel(c.Name, c.Host!, c.Port ?? 25, c.UseTls ?? false, c.UserName, secret,
                    new MailAddress(c.From!), c.To!.Select(t => new MailAddress(t)).ToArray(), timeout),
                _ => throw new InvalidOperationException($"Channel kind '{c.Kind}' passed validation but is unknown."),
            };
            _channels[c.Name] = (channel, c.Enabled);
        }
    }

    public IEnumerable<IAlertChannel> All => _channels.Values.Select(v => v.Channel);

    public bool TryGet(string name, out IAlertChannel channel, out bool enabled)
    {
        var found = _channels.TryGetValue(name, out var entry);
        (channel, enabled) = found ? entry : (null!, false);
        return found;
    }
}
