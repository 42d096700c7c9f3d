using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Functions.Tests.Alerts;

/// <summary>One POST a receiver accepted.</summary>
internal sealed record ReceivedPost(string Path, string? Authorization, JsonObject Body);

/// <summary>
/// A real HTTP listener on a free loopback port standing in for a webhook, Slack or PagerDuty endpoint. It records
/// every POST it accepts and wakes waiters on each; <see cref="Mode"/> makes it refuse (400), fail (503) or drop the
/// connection (down).
/// </summary>
internal sealed class HttpAlertReceiver : IAsyncDisposable
{
    public enum Behaviour { Accept, Down, ServerError, Refuse }

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedPost> _received = new();
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _attempts;

    private HttpAlertReceiver(WebApplication app) => _app = app;

    public Behaviour Mode { get; set; } = Behaviour.Accept;

    public int Attempts => Volatile.Read(ref _attempts);

    public IReadOnlyList<ReceivedPost> Received => [.. _received];

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<HttpAlertReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new HttpAlertReceiver(app);
        app.MapPost("/{**path}", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetService(typeof(IServer)) is IServer server ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First() : throw new InvalidOperationException();
        receiver.BaseUrl = new Uri(address);
        return receiver;
    }

    public string Url(string path) => new Uri(BaseUrl, path).ToString();

    /// <summary>Waits until <paramref name="count"/> posts to <paramref name="path"/> have arrived.</summary>
    public async Task<IReadOnlyList<ReceivedPost>> WaitForAsync(string path, int count, TimeSpan hangGuard)
    {
        using var guard = new CancellationTokenSource(hangGuard);
        while (true)
        {
            Task arrived;
            lock (_received) arrived = _arrived.Task;
            var matching = Received.Where(r => r.Path == path).ToList();
            if (matching.Count >= count) return matching;
            await arrived.WaitAsync(guard.Token);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _attempts);
        switch (Mode)
        {
            case Behaviour.Down:
                context.Abort();
                return;
            case Behaviour.ServerError:
                context.Response.StatusCode = 503;
                return;
            case Behaviour.Refuse:
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("invalid_payload");
                return;
        }
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = JsonNode.Parse(await reader.ReadToEndAsync()) as JsonObject ?? [];
        _received.Enqueue(new ReceivedPost(context.Request.Path.Value ?? "", context.Request.Headers.Authorization.FirstOrDefault(), body));
        context.Response.StatusCode = context.Request.Path.StartsWithSegments("/pd") ? 202 : 200;
        Signal();
    }

    private void Signal()
    {
        lock (_received)
        {
            _arrived.TrySetResult();
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One message an SMTP session handed over.</summary>
internal sealed record ReceivedMail(string From, IReadOnlyList<string> To, string Data)
{
    public string Subject => Header("Subject");

    public string Header(string name) =>
        Data.Split("\r\n").FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..].Trim() ?? "";
}

/// <summary>A small SMTP server on a free loopback port: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; records each message.</summary>
internal sealed class SmtpReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _mails = new();
    private readonly Task _accepting;
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SmtpReceiver()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<ReceivedMail> Mails => [.. _mails];

    public async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(int count, TimeSpan hangGuard)
    {
        using var guard = new CancellationTokenSource(hangGuard);
        while (true)
        {
            Task arrived;
            lock (_mails) arrived = _arrived.Task;
            if (_mails.Count >= count) return Mails;
            await arrived.WaitAsync(guard.Token);
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => SessionAsync(client));
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        string from = "";
        var to = new List<string>();
        try
        {
            await writer.WriteLineAsync("220 hf-test-smtp ready");
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-hf-test-smtp");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "HELO" or "RSET" or "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "MAIL":
                        from = Address(line);
                        to.Clear();
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        to.Add(Address(line));
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        _mails.Enqueue(new ReceivedMail(from, [.. to], data.ToString()));
                        lock (_mails)
                        {
                            _arrived.TrySetResult();
                            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        }
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static string Address(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? line[(start + 1)..end] : line;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
