using System.CommandLine;
using System.Text.RegularExpressions;

namespace HyperFunctions.Cli.Api;

/// <summary>
/// What every audited operator command shares: --reason (required, recorded as the message of the safety ledger's
/// transition, or of the order's state change) and --operator (else HF_OPERATOR; recorded as the actor, sent as the
/// API's X-Operator header).
/// </summary>
/// <param name="transition">What the reason is recorded for, e.g. "promotion".</param>
/// <param name="record">Where it is recorded.</param>
internal sealed partial class LedgerCommandOptions(string transition, string record = "the safety ledger's history")
{
    public const string OperatorVariable = "HF_OPERATOR";

    public Option<string> Reason { get; } = new("--reason")
    {
        Description = $"Why: recorded as the message of the {transition} in {record} (at most 1000 characters).",
        Required = true,
    };

    public Option<string?> Operator { get; } = new("--operator")
    {
        Description = $"Who you are, recorded as the actor (operator:<name>) in the audit trail: 1-64 of letters, digits, @ . _ -. Default: ${OperatorVariable}.",
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Reason);
        command.Add(Operator);
    }

    /// <summary>The trimmed reason; an empty one is exit 2 before anything is sent.</summary>
    public string ReasonOf(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var reason = parseResult.GetRequiredValue(Reason).Trim();
        if (reason.Length == 0) throw new CliInputException($"--reason must not be empty: it is recorded in {record}.");
        return reason;
    }

    /// <summary>--operator, else HF_OPERATOR, else null (the API records "operator"); a malformed name is exit 2.</summary>
    public string? OperatorOf(ParseResult parseResult, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(context);
        var given = parseResult.GetValue(Operator);
        var value = given ?? context.GetEnvironmentVariable(OperatorVariable);
        if (string.IsNullOrWhiteSpace(value)) return null;
        var name = value.Trim();
        if (!OperatorPattern().IsMatch(name))
            throw new CliInputException($"{(given is null ? OperatorVariable : "--operator")} must be 1-64 characters of letters, digits, @ . _ -; got '{Printable.Text(name, 80)}'.");
        return name;
    }

    // The API's own rule (OperatorIdentity): checked here so a typo is exit 2 before anything is sent.
    [GeneratedRegex("^[A-Za-z0-9@._-]{1,64}$")]
    private static partial Regex OperatorPattern();
}
