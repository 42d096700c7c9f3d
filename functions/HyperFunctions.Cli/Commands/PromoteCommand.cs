using System.CommandLine;
using System.Text.Json;
using HyperFunctions.Cli.Api;

namespace HyperFunctions.Cli.Commands;

/// <summary>
/// <c>hf promote --reason …</c>: POST /api/safety/promote with the admin key, ARMED_SAFE → ARMED_LIVE. The ledger
/// refuses it from HALT or while a condition is active (the API's 409: exit 5, nothing changed).
/// </summary>
public sealed class PromoteCommand : Command
{
    internal const string Route = "api/safety/promote";

    private readonly CliContext _context;
    private readonly ApiOptions _api = new();

    private readonly LedgerCommandOptions _ledger = new("promotion");

    public PromoteCommand(CliContext context)
        : base("promote", "ARMED_SAFE → ARMED_LIVE (all orders). Refused from HALT or while a condition is active.")
    {
        _context = context;
        _ledger.AddTo(this);
        _api.AddTo(this);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken ct)
    {
        var reason = _ledger.ReasonOf(parseResult);
        var operatorName = _ledger.OperatorOf(parseResult, _context);
        var baseUrl = _api.BaseUrl(parseResult, _context);
        var key = ApiKeys.Admin(_context, "hf promote");

        using var client = new OpsApiClient(baseUrl, key, _api.TimeoutOf(parseResult));
        var body = JsonSerializer.Serialize(new PromoteRequest(reason), CliJsonContext.Default.PromoteRequest);
        var answer = await client.SendAsync(HttpMethod.Post, Route, body, operatorName, "The promotion may still have taken effect: run 'hf status'.", ct);
        if (!answer.IsSuccess) throw answer.Failure();
        var promoted = answer.Read(CliJsonContext.Default.CommandAnswer);

        if (parseResult.GetValue(_api.Json)) _context.Out.WriteLine(answer.Body);
        else HaltCommand.PrintLedger(promoted, _context.Out);
        if (promoted.Mode != "ARMED_LIVE" || promoted.Result is not ("applied" or "unchanged"))
            throw new ApiCallException(
                $"{answer.Request} answered '{Printable.Text(promoted.Result, 40)}' with the instance {Printable.Text(promoted.Mode, 40)}: the promotion is NOT confirmed. {Printable.Text(promoted.Detail)}");
        return ExitCodes.Success;
    }
}
