using System.Net.Mail;
using System.Text.RegularExpressions;

namespace HyperFunctions.Configuration;

/// <summary>
/// Checks the Alerts section beyond what the schema can say, with messages naming the setting the .NET
/// way (Alerts:Channels:0:Url), and reads each channel's secret from the variable it names. A secret's
/// value never appears in a message.
/// </summary>
public static partial class AlertSettingsValidator
{
    public static IReadOnlyDictionary<string, string> Validate(
        AlertSettings alerts, DeploymentMode mode, Func<string, string?> readVariable, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(readVariable);
        ArgumentNullException.ThrowIfNull(errors);
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var channels = alerts.Channels ?? [];
        for (var i = 0; i < channels.Count; i++)
        {
            var c = channels[i];
            var at = $"Alerts:Channels:{i}";
            if (string.IsNullOrWhiteSpace(c.Name) || !NamePattern().IsMatch(c.Name))
                errors.Add($"{at}:Name '{c.Name}' must be 1-40 letters, digits, '-' or '_'.");
            else if (!names.Add(c.Name))
                errors.Add($"{at}:Name '{c.Name}' is used by another channel.");

            var secretName = c.SecretVariable;
            if (secretName is not null && !VariablePattern().IsMatch(secretName))
            {
                errors.Add($"{at}:SecretVariable '{secretName}' is not an environment variable name (letters, digits, '_').");
                secretName = null;
            }
            var secret = secretName is null ? null : readVariable(secretName);
            if (string.IsNullOrWhiteSpace(secret)) secret = null;

            switch (c.Kind)
            {
                case AlertChannelKinds.Webhook:
                    RequireHttpUrl(c.Url, $"{at}:Url", required: true, errors);
                    break;
                case AlertChannelKinds.Slack:
                    RequireSecret(c, at, "the Slack incoming-webhook URL", errors);
                    if (c.Url is not null) errors.Add($"{at}:Url must not be set for a slack channel: the webhook URL is a secret; put it in the variable SecretVariable names.");
                    if (secret is not null && !IsHttpUrl(secret))
                        errors.Add($"{at}: the variable {secretName} does not hold an absolute http(s) URL (the value is not shown: it is a secret).");
                    break;
                case AlertChannelKinds.PagerDuty:
                    RequireSecret(c, at, "the PagerDuty routing key", errors);
                    RequireHttpUrl(c.Url, $"{at}:Url", required: false, errors);
                    break;
                case AlertChannelKinds.Smtp:
                    if (string.IsNullOrWhiteSpace(c.Host)) errors.Add($"{at}:Host is required for an smtp channel.");
                    if (c.Port is < 1 or > 65535) errors.Add($"{at}:Port {c.Port} is not a port number.");
                    if (!IsMailAddress(c.From)) errors.Add($"{at}:From '{c.From}' is not a mail address.");
                    if (c.To is not { Count: > 0 }) errors.Add($"{at}:To needs at least one recipient.");
                    for (var r = 0; r < (c.To?.Count ?? 0); r++)
                        if (!IsMailAddress(c.To![r])) errors.Add($"{at}:To:{r} '{c.To[r]}' is not a mail address.");
                    if (c.UserName is not null) RequireSecret(c, at, "the SMTP password", errors);
                    break;
                default:
                    errors.Add($"{at}:Kind '{c.Kind}' is not one of: {string.Join(", ", AlertChannelKinds.All)}.");
                    break;
            }

            if (secretName is not null && secret is null && c.Enabled && mode == DeploymentMode.Live)
                errors.Add($"{at} ({c.Kind} '{c.Name}'): the environment variable {secretName} (its SecretVariable) is not set. Live mode needs every channel secret.");
            if (secret is not null && !string.IsNullOrWhiteSpace(c.Name)) secrets[c.Name] = secret;
        }

        foreach (var (level, routed) in alerts.Routes ?? [])
        {
            if (level is not ("1" or "2" or "3" or "4"))
            {
                errors.Add($"Alerts:Routes:{level} is not a level; levels are 1, 2, 3 and 4.");
                continue;
            }
            for (var i = 0; i < (routed?.Count ?? 0); i++)
            {
                if (!names.Contains(routed![i]))
                    errors.Add($"Alerts:Routes:{level}:{i} names channel '{routed[i]}', which is not in Alerts:Channels.");
            }
        }

        if (alerts.ThrottleSeconds < 1) errors.Add($"Alerts:ThrottleSeconds {alerts.ThrottleSeconds} must be at least 1.");
        if (alerts.EscalateAfterSeconds < 1) errors.Add($"Alerts:EscalateAfterSeconds {alerts.EscalateAfterSeconds} must be at least 1.");
        return secrets;
    }

    private static void RequireSecret(AlertChannelSettings c, string at, string what, List<string> errors)
    {
        if (c.SecretVariable is null) errors.Add($"{at}:SecretVariable is required for a {c.Kind} channel: name the environment variable that holds {what}.");
    }

    private static void RequireHttpUrl(string? url, string key, bool required, List<string> errors)
    {
        if (url is null)
        {
            if (required) errors.Add($"{key} is required.");
            return;
        }
        if (!IsHttpUrl(url)) errors.Add($"{key} '{url}' is not an absolute http(s) URL.");
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !string.IsNullOrEmpty(uri.Host);

    private static bool IsMailAddress(string? text) =>
        !string.IsNullOrWhiteSpace(text) && MailAddress.TryCreate(text, out var address) && address.Address == text.Trim();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex VariablePattern();
}
