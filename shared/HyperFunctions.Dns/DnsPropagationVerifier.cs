using System.Diagnostics;
using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Dns;

/// <summary>What to verify: every nameserver answers <paramref name="ExpectedContent"/> (and only it) for the name and type.</summary>
public sealed record DnsPropagationRequest(
    string Name,
    DnsRecordType Type,
    string ExpectedContent,
    IReadOnlyList<DnsNameserver> Nameservers,
    DnsVerificationTiming Timing);

/// <summary>The verification's clock: how long to wait in all, how long between rounds, how long one query may take.</summary>
public sealed record DnsVerificationTiming(TimeSpan Timeout, TimeSpan PollInterval, TimeSpan QueryTimeout)
{
    /// <summary>Cloudflare reports TTL 1 for "automatic", which it serves as 300 seconds.</summary>
    public const int AutomaticTtlSeconds = 300;

    /// <summary>
    /// The timing for a record of <paramref name="ttlSeconds"/>: the configured values where set; otherwise a timeout of the TTL
    /// plus 120 seconds (a resolver may hold the old answer for a whole TTL, and a provider takes up to a minute or two to
    /// publish a change to all its nameservers), at most 900 seconds, and a poll interval of a tenth of the TTL, between 2 and 30 seconds.
    /// </summary>
    public static DnsVerificationTiming For(int ttlSeconds, int? timeoutSeconds, int? pollIntervalSeconds, int queryTimeoutSeconds)
    {
        var ttl = ttlSeconds <= 1 ? AutomaticTtlSeconds : ttlSeconds;
        var timeout = timeoutSeconds ?? Math.Min(ttl + 120, 900);
        var poll = pollIntervalSeconds ?? Math.Clamp(ttl / 10, 2, 30);
        return new DnsVerificationTiming(TimeSpan.FromSeconds(timeout), TimeSpan.FromSeconds(Math.Min(poll, timeout)), TimeSpan.FromSeconds(queryTimeoutSeconds));
    }
}

/// <summary>One nameserver's part of a verification.</summary>
/// <param name="Nameserver">ip:port as asked.</param>
/// <param name="AnsweredContent">What it last answered (several answers comma-separated), or null when it gave no answer of the type.</param>
/// <param name="Matched">It answered exactly the expected content (once it did, it is not asked again).</param>
/// <param name="LastError">Its last failure (timeout, SERVFAIL, NXDOMAIN, no answer), or null.</param>
/// <param name="Attempts">How many times it was asked.</param>
/// <param name="TimeToMatch">From the start of the verification to its matching answer, or null when it never matched.</param>
public sealed record NameserverResult(string Nameserver, string? AnsweredContent, bool Matched, string? LastError, int Attempts, TimeSpan? TimeToMatch)
{
    /// <summary>"198.51.100.20", "nothing (timed out)" or "198.51.100.20 (…)": the answer with its error, for a one-line detail.</summary>
    public string AnswerText => (AnsweredContent ?? "nothing") + (LastError is null ? "" : $" ({LastError})");
}

/// <summary>The outcome of a verification: whether every nameserver matched before the timeout, how long it took, and each one's result.</summary>
public sealed record DnsPropagationReport(bool AllMatched, TimeSpan Elapsed, IReadOnlyList<NameserverResult> Nameservers)
{
    /// <summary>The nameservers that did not answer the new content in time.</summary>
    public IEnumerable<NameserverResult> Lagging => Nameservers.Where(n => !n.Matched);
}

/// <summary>
/// Asks each configured nameserver directly (DnsClient, one nameserver per client: no cache, no retry, no fall-back to another
/// server or to the system's resolvers) for the record, round after round on the <see cref="TimeProvider"/>, until all of them
/// answer the expected content or the timeout passes. A nameserver that matched is not asked again.
/// </summary>
public sealed partial class DnsPropagationVerifier(TimeProvider time, ILogger<DnsPropagationVerifier> logger)
{
    public async Task<DnsPropagationReport> VerifyAsync(DnsPropagationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Nameservers.Count == 0) throw new ArgumentException("At least one nameserver is needed.", nameof(request));
        var started = time.GetTimestamp();
        var states = request.Nameservers.Select(n => new State(n, Client(n, request.Timing.QueryTimeout))).ToArray();
        var queryType = request.Type switch
        {
            DnsRecordType.A => QueryType.A,
            DnsRecordType.AAAA => QueryType.AAAA,
            _ => QueryType.CNAME,
        };
        var round = 0;
        while (true)
        {
            round++;
            var pending = states.Where(s => !s.Matched).ToArray();
            await Task.WhenAll(pending.Select(s => AskAsync(s, request, queryType, started, cancellationToken)));
            var elapsed = time.GetElapsedTime(started);
            var matched = states.Count(s => s.Matched);
            LogRound(round, matched, states.Length, elapsed.TotalSeconds);
            if (matched == states.Length || elapsed >= request.Timing.Timeout) break;
            var wait = request.Timing.Timeout - elapsed;
            await Task.Delay(wait < request.Timing.PollInterval ? wait : request.Timing.PollInterval, time, cancellationToken);
        }

        var report = new DnsPropagationReport(states.All(s => s.Matched), time.GetElapsedTime(started), states.Select(s => s.Result()).ToArray());
        if (report.AllMatched)
            LogAllMatched(request.Name, request.Type, request.ExpectedContent, states.Length, report.Elapsed.TotalSeconds);
        else
            LogTimedOut(request.Name, request.Type, request.ExpectedContent, report.Elapsed.TotalSeconds,
                string.Join("; ", report.Lagging.Select(n => $"{n.Nameserver} answered {n.AnswerText}")));
        return report;
    }

    private async Task AskAsync(State state, DnsPropagationRequest request, QueryType queryType, long started, CancellationToken cancellationToken)
    {
        state.Attempts++;
        try
        {
            var response = await state.Client.QueryAsync(request.Name, queryType, QueryClass.IN, cancellationToken);
            if (response.HasError)
            {
                state.LastError = response.Header.ResponseCode.ToString().ToUpperInvariant() switch
                {
                    "NOTEXISTENTDOMAIN" => "NXDOMAIN",
                    "SERVERFAILURE" => "SERVFAIL",
                    "REFUSED" => "REFUSED",
                    var other => other,
                };
                state.Answered = null;
                return;
            }
            var answers = Answers(response, request.Type);
            state.Answered = answers.Count == 0 ? null : string.Join(", ", answers);
            state.LastError = answers.Count == 0 ? $"no {request.Type} answer" : null;
            var expected = DnsContent.Normalize(request.Type, request.ExpectedContent);
            if (answers.Count == 1 && string.Equals(answers[0], expected, StringComparison.Ordinal))
            {
                state.Matched = true;
                state.TimeToMatch = time.GetElapsedTime(started);
            }
        }
        catch (DnsResponseException ex) when (!cancellationToken.IsCancellationRequested)
        {
            state.LastError = ex.Code == DnsResponseCode.ConnectionTimeout ? "timed out" : ex.DnsError;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            state.LastError = ex.GetType().Name + ": " + ex.Message;
        }
    }

    private static List<string> Answers(IDnsQueryResponse response, DnsRecordType type) => type switch
    {
        DnsRecordType.A => response.Answers.ARecords().Select(r => r.Address.ToString()).Distinct().Order(StringComparer.Ordinal).ToList(),
        DnsRecordType.AAAA => response.Answers.AaaaRecords().Select(r => r.Address.ToString()).Distinct().Order(StringComparer.Ordinal).ToList(),
        _ => response.Answers.CnameRecords().Select(r => DnsContent.Normalize(DnsRecordType.CNAME, r.CanonicalName.Value)).Distinct().Order(StringComparer.Ordinal).ToList(),
    };

    private static LookupClient Client(DnsNameserver nameserver, TimeSpan queryTimeout) =>
        new(new LookupClientOptions(new NameServer(new IPEndPoint(nameserver.Address, nameserver.Port)))
        {
            UseCache = false,
            Retries = 0,
            Timeout = queryTimeout,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
            UseRandomNameServer = false,
            UseTcpFallback = true,
            EnableAuditTrail = false,
        });

    private sealed class State(DnsNameserver nameserver, LookupClient client)
    {
        public LookupClient Client { get; } = client;
        public bool Matched { get; set; }
        public string? Answered { get; set; }
        public string? LastError { get; set; }
        public int Attempts { get; set; }
        public TimeSpan? TimeToMatch { get; set; }

        public NameserverResult Result() => new(nameserver.ToString(), Answered, Matched, LastError, Attempts, TimeToMatch);
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Debug, Message = "DNS verification round {Round}: {Matched} of {Total} nameservers answer the new content after {ElapsedSeconds:F1} s")]
    private partial void LogRound(int round, int matched, int total, double elapsedSeconds);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Information, Message = "DNS {Name} {Type} = {Content} confirmed by all {Count} nameservers in {ElapsedSeconds:F1} s")]
    private partial void LogAllMatched(string name, DnsRecordType type, string content, int count, double elapsedSeconds);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "DNS {Name} {Type} = {Content} not confirmed after {ElapsedSeconds:F1} s; lagging: {Lagging}")]
    private partial void LogTimedOut(string name, DnsRecordType type, string content, double elapsedSeconds, string lagging);
}
