using System.Net;
using System.Net.Mail;
using System.Net.Sockets;
using System.Text;
using HyperFunctions.Storage.Alerts;

namespace HyperFunctions.Alerts.Channels;

/// <summary>
/// Email over SMTP with <see cref="SmtpClient"/> (plain or STARTTLS, optional AUTH with the password from the
/// variable the channel names). A 4xx reply or a connection failure may be retried; a 5xx reply is permanent.
/// </summary>
public sealed class SmtpChannel(string name, string host, int port, bool useTls, string? userName, string? password, MailAddress from, IReadOnlyList<MailAddress> to, TimeSpan timeout)
    : IAlertChannel
{
    public string Name { get; } = name;

    public string Kind => "smtp";

    public static string Subject(AlertDelivery d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return $"[HyperFunctions {d.Instance}] {AlertWording.Headline(d)}: {d.Title}".ReplaceLineEndings(" ");
    }

    public static string Text(AlertDelivery d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var sb = new StringBuilder();
        sb.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{AlertWording.Headline(d)}: {d.Title}");
        sb.AppendLine();
        sb.AppendLine(d.Detail);
        sb.AppendLine();
        sb.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Key:       {d.Key}");
        sb.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Level:     {d.Level} ({AlertWording.LevelName(d.Level)})");
        sb.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Status:    {d.Status} ({d.Action})");
        sb.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Source:    {d.Source}");
        sb.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Observed:  {d.At:O}");
        sb.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Opened:    {d.OpenedAt:O}");
        sb.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Instance:  {d.Instance}");
        sb.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Alert id:  {d.AlertId} (notification {d.Sequence})");
        return sb.ToString();
    }

    public async Task<DeliveryResult> SendAsync(AlertDelivery delivery, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (userName is not null && password is null) return DeliveryResult.Permanent("the SMTP password variable is not set");
        using var message = new MailMessage { From = from, Subject = Subject(delivery), Body = Text(delivery), BodyEncoding = Encoding.UTF8, SubjectEncoding = Encoding.UTF8 };
        foreach (var address in to) message.To.Add(address);
        message.Headers.Add("X-HyperFunctions-Alert", delivery.DeliveryId);
        using var client = new SmtpClient(host, port) { EnableSsl = useTls, DeliveryMethod = SmtpDeliveryMethod.Network, Timeout = (int)timeout.TotalMilliseconds };
        client.UseDefaultCredentials = false;
        if (userName is not null) client.Credentials = new NetworkCredential(userName, password);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await client.SendMailAsync(message, limit.Token);
            return DeliveryResult.Delivered($"accepted by {host}:{port}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return DeliveryResult.Transient("timed out");
        }
        catch (SmtpException ex)
        {
            var code = (int)ex.StatusCode;
            var detail = $"SMTP {code} ({ex.StatusCode})";
            return code is >= 500 and < 600 ? DeliveryResult.Permanent(detail) : DeliveryResult.Transient(detail + (ex.InnerException is SocketException se ? $": {se.SocketErrorCode}" : ""));
        }
    }
}
