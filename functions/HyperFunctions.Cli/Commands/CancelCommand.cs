using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using HyperFunctions.Cli.Api;

namespace HyperFunctions.Cli.Commands;

/// <summary>
/// <c>hf cancel &lt;cloid&gt; --reason …</c>: POST /api/orders/{cloid}/cancel with the admin key. A resting order is
/// cancelled at the venue; an intent never sent is withdrawn. The API's 409 (final, being sent, filled meanwhile) is
/// exit 5; an unknown cloid exit 2; anything else that is not a confirmed cancel exit 3.
/// </summary>
public sealed partial class CancelCommand : Command
{
    private readonly CliContext _context;
    private readonly ApiOptions _api = new();
    private readonly LedgerCommandOptions _audit = new("cancel", "the order's history");

    private readonly Argument<string> _cloid = new("cloid")
    {
        Description = "The order intent's client order id: 0x and 32 hex digits (as POST /api/orders answered it).",
    };

    public CancelCommand(CliContext context)
        : base("cancel", "Cancel one order by its cloid: at the venue when it may rest there, withdrawn when it was never sent.")
    {
        _context = context;
        Add(_cloid);
        _audit.AddTo(this);
        _api.AddTo(this);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken ct)
    {
        var cloid = parseResult.GetRequiredValue(_cloid).Trim();
        if (!CloidPattern().IsMatch(cloid))
            throw new CliInputException($"cloid must be 0x and 32 hex digits; got '{Printable.Text(cloid, 80)}'.");
        cloid = cloid.ToLowerInvariant();
        var reason = _audit.ReasonOf(parseResult);
        var operatorName = _audit.OperatorOf(parseResult, _context);
        var baseUrl = _api.BaseUrl(parseResult, _context);
        var key = ApiKeys.Admin(_context, "hf cancel");

        using var client = new OpsApiClient(baseUrl, key, _api.TimeoutOf(parseResult));
        var body = JsonSerializer.Serialize(new CancelRequest(reason), CliJsonContext.Default.CancelRequest);
        var answer = await client.SendAsync(HttpMethod.Post, $"api/orders/{cloid}/cancel", body, operatorName,
            $"The cancel may still have happened: look at the order (GET /api/orders/{cloid}).", ct);
        if (!answer.IsSuccess)
        {
            if (answer.Status == HttpStatusCode.NotFound && answer.TryRead(CliJsonContext.Default.ProblemAnswer)?.Code == "NOT_FOUND")
                throw new ApiCallException($"No order intent has cloid {cloid}.", ExitCodes.InvalidInput);
            throw answer.Failure();
        }
        var done = answer.Read(CliJsonContext.Default.CancelAnswer);
        if (parseResult.GetValue(_api.Json)) _context.Out.WriteLine(answer.Body);
        else
        {
            _context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"order {cloid}: {Printable.Text(done.Status, 20)} ({Printable.Text(done.Result, 40)}), venue status {Printable.Text(done.VenueStatus ?? "not asked", 40)}, {done.DurationMs} ms"));
            _context.Out.WriteLine("  " + Printable.Text(done.Message));
        }
        if (done.Status != "CANCELED")
            throw new ApiCallException($"{answer.Request} answered '{Printable.Text(done.Result, 40)}' with the order {Printable.Text(done.Status, 20)}: the cancel is NOT confirmed.");
        return ExitCodes.Success;
    }

    // The API's own rule (CancelOrder): checked here so a typo is exit 2 before anything is sent.
    [GeneratedRegex("^0[xX][0-9a-fA-F]{32}$")]
    private static partial Regex CloidPattern();
}
