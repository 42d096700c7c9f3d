using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using HyperFunctions.Cli.Api;

namespace HyperFunctions.Cli.Commands;

/// <summary>
/// <c>hf halt --reason … [--cancel-all]</c>: POST /api/safety/halt with the admin key. Without --cancel-all a
/// plain operator HALT (MANUAL_HALT); with it the kill switch: HALT KILL_SWITCH, every open order of the account
/// cancelled, the venue's scheduleCancel armed. The exit code says whether the operator must look (docs/cli.md).
/// </summary>
public sealed class HaltCommand : Command
{
    internal const string Route = "api/safety/halt";

    private readonly CliContext _context;
    private readonly ApiOptions _api = new();

    private readonly LedgerCommandOptions _ledger = new("HALT");

    private readonly Option<bool> _cancelAll = new("--cancel-all")
    {
        Description = "Kill switch: HALT KILL_SWITCH, cancel every open order of the account at the venue, arm the venue's scheduleCancel.",
    };

    public HaltCommand(CliContext context)
        : base("halt", "HALT the instance (no orders; cancels allowed). With --cancel-all: the kill switch.")
    {
        _context = context;
        _ledger.AddTo(this);
        Add(_cancelAll);
        _api.AddTo(this);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken ct)
    {
        var reason = _ledger.ReasonOf(parseResult);
        var cancelAll = parseResult.GetValue(_cancelAll);
        var operatorName = _ledger.OperatorOf(parseResult, _context);
        var baseUrl = _api.BaseUrl(parseResult, _context);
        var key = ApiKeys.Admin(_context, "hf halt");

        using var client = new OpsApiClient(baseUrl, key, _api.TimeoutOf(parseResult));
        var body = JsonSerializer.Serialize(new HaltRequest(reason, cancelAll), CliJsonContext.Default.HaltRequest);
        var answer = await client.SendAsync(HttpMethod.Post, Route, body, operatorName,
            cancelAll
                ? "The HALT and the kill switch may still have taken effect: the API runs a kill switch to its end even when the caller gives up. Run 'hf status' before anything else."
                : "The HALT may still have taken effect: run 'hf status'.",
            ct);

        // A kill switch whose ledger write failed answers 503 with its whole body: show what it did at the venue, then fail.
        var halt = answer.IsSuccess || (cancelAll && answer.Status == HttpStatusCode.ServiceUnavailable) ? answer.TryRead(CliJsonContext.Default.CommandAnswer) : null;
        if (!answer.IsSuccess && halt?.KillSwitch is null) throw answer.Failure();
        halt ??= answer.Read(CliJsonContext.Default.CommandAnswer);

        if (parseResult.GetValue(_api.Json)) _context.Out.WriteLine(answer.Body);
        else Print(halt, _context.Out);
        return Verdict(answer, halt, cancelAll);
    }

    /// <summary>0 when the HALT is confirmed (and, with the kill switch, everything done); otherwise the failure, as an exception with its exit code.</summary>
    private static int Verdict(ApiAnswer answer, CommandAnswer halt, bool cancelAll)
    {
        if (!answer.IsSuccess)
            throw new ApiCallException(
                $"{answer.Request} answered HTTP {(int)answer.Status}: the safety ledger was unavailable and nothing was written ({Printable.Text(halt.Detail)}). " +
                "Only the process that answered holds a HALT; other processes do not see it. The kill switch's venue part is above.");
        if (halt.Mode != "HALT" || halt.Result is not ("applied" or "unchanged"))
            throw new ApiCallException(
                $"{answer.Request} answered '{Printable.Text(halt.Result, 40)}' with the instance {Printable.Text(halt.Mode, 40)} {Printable.Text(halt.Reason, 60)}: the HALT is NOT confirmed. {Printable.Text(halt.Detail)}");
        if (!cancelAll) return ExitCodes.Success;

        if (halt.KillSwitch is not { } kill)
            throw new ApiCallException(
                "The instance is HALT, but the API's answer has no killSwitch: this function app does not run the kill switch, so nothing was cancelled. Cancel open orders at the venue by other means.",
                ExitCodes.KillSwitchIncomplete);
        if (kill.Outcome == "complete") return ExitCodes.Success;

        var cancel = kill.Cancel;
        var problems = new List<string>();
        if (cancel?.Failure is { } failure) problems.Add($"the cancel-all failed ({Printable.Text(failure, 200)})");
        else if (cancel is not null && cancel.Cancelled < cancel.Found) problems.Add($"{cancel.Found - cancel.Cancelled} of {cancel.Found} open orders not cancelled");
        if (kill.ScheduleCancel is not { Armed: true }) problems.Add($"scheduleCancel not armed ({Printable.Text(kill.ScheduleCancel?.Error, 200)})");
        throw new ApiCallException(
            $"The instance is HALT, but the kill switch is {Printable.Text(kill.Outcome, 40)}: {string.Join("; ", problems)}. " +
            "Open orders may remain at the venue: look at them now, then run 'hf halt --cancel-all' again.",
            ExitCodes.KillSwitchIncomplete);
    }

    private static void Print(CommandAnswer halt, TextWriter output)
    {
        PrintLedger(halt, output);
        if (halt.KillSwitch is not { } kill) return;

        output.WriteLine($"kill switch: {Printable.Text(kill.Outcome, 40)} in {Ms(kill.DurationMs)} (by {Printable.Text(kill.Actor, 80)} at {Time(kill.At)})");
        if (kill.Cancel is { } cancel)
        {
            output.WriteLine($"  cancel-all: {cancel.Cancelled} of {cancel.Found} open orders cancelled, venue part {Ms(cancel.DurationMs)}");
            if (cancel.Failure is not null) output.WriteLine($"  cancel-all FAILED: {Printable.Text(cancel.Failure)}");
            foreach (var order in cancel.Orders ?? [])
            {
                var what = order.Cancelled ? "cancelled" : $"NOT cancelled: {Printable.Text(order.Error)}";
                output.WriteLine($"    {Printable.Text(order.Coin, 20),-8} oid {order.Oid.ToString(CultureInfo.InvariantCulture),-12} cloid {Printable.OrDash(order.Cloid, 66)}  {what}");
            }
        }

        output.WriteLine(kill.ScheduleCancel is { Armed: true } armed
            ? $"  scheduleCancel: armed for {(armed.Time is { } at ? Time(at) : "?")} (the venue cancels every open order then unless it is re-armed or cleared)"
            : $"  scheduleCancel: NOT armed: {Printable.Text(kill.ScheduleCancel?.Error)}");
    }

    /// <summary>The ledger's part of a safety command's answer: mode, reason, result and version; the transition's message and actor, or why nothing changed.</summary>
    internal static void PrintLedger(CommandAnswer answer, TextWriter output)
    {
        var version = answer.Version is { } v ? $" (ledger v{v.ToString(CultureInfo.InvariantCulture)})" : "";
        output.WriteLine($"{Printable.Text(answer.Mode, 40)} {Printable.Text(answer.Reason, 60)}: {Printable.Text(answer.Result, 40)}{version}");
        if (answer.Transition is { } t) output.WriteLine($"  message: {Printable.Text(t.Message)} (by {Printable.Text(t.Actor, 80)} at {Time(t.At)})");
        if (!string.IsNullOrWhiteSpace(answer.Detail)) output.WriteLine($"  detail: {Printable.Text(answer.Detail)}");
    }

    internal static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Ms(long ms) => ms.ToString(CultureInfo.InvariantCulture) + " ms";
}
