using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace HyperFunctions.Cli.Api;

/// <summary>
/// What every command that calls the ops API shares: --url (else HF_API_URL, else http://localhost:7071),
/// --timeout (seconds, default 30) and --json (print the API's answer as received). Keys come from the
/// environment only (<see cref="ApiKeys"/>), never from an option: a command line is visible to every user of the machine.
/// </summary>
internal sealed class ApiOptions
{
    public const string UrlVariable = "HF_API_URL";
    public const int DefaultTimeoutSeconds = 30;
    public const int MaxTimeoutSeconds = 3600;
    public static readonly Uri DefaultUrl = new("http://localhost:7071/");

    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"Base URL of the ops API (the function app), e.g. https://<app>.azurewebsites.net. Default: ${UrlVariable}, else {DefaultUrl}.",
    };

    public Option<int?> Timeout { get; } = new("--timeout")
    {
        Description = $"Seconds to wait for the API's answer (1-{MaxTimeoutSeconds}, default {DefaultTimeoutSeconds}).",
        CustomParser = ParseTimeout,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the API's JSON answer exactly as received instead of the summary. Exit codes are the same.",
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Url);
        command.Add(Timeout);
        command.Add(Json);
    }

    /// <summary>The base URL from --url, else HF_API_URL, else the local default; refused (exit 2) unless absolute http(s) without query, fragment or user info.</summary>
    public Uri BaseUrl(ParseResult parseResult, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(context);
        if (parseResult.GetValue(Url) is { } given) return ParseBase(given, "--url");
        if (context.GetEnvironmentVariable(UrlVariable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
            return ParseBase(fromEnvironment, UrlVariable);
        return DefaultUrl;
    }

    public TimeSpan TimeoutOf(ParseResult parseResult) =>
        TimeSpan.FromSeconds(parseResult.GetValue(Timeout) ?? DefaultTimeoutSeconds);

    private static Uri ParseBase(string value, string source)
    {
        var text = value.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new CliInputException($"{source} must be an absolute http:// or https:// URL, e.g. http://localhost:7071; got '{Printable.Text(text, 200)}'.");
        // A key must travel in the x-functions-key header from the environment, never in a URL that ends up in shell history and logs.
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            throw new CliInputException($"{source} must be the base URL only: no query (?code=…), fragment or user info. Keys come from the environment (HF_ADMIN_KEY, HF_FUNCTION_KEY).");
        // A trailing slash keeps a base path (e.g. behind a gateway) when the route is appended.
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }

    private static int? ParseTimeout(ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= MaxTimeoutSeconds)
            return seconds;
        result.AddError($"--timeout must be a whole number of seconds from 1 to {MaxTimeoutSeconds}, got '{token}'.");
        return null;
    }
}

/// <summary>The ops API keys, from the environment only. Never printed, in whole or in part.</summary>
internal static class ApiKeys
{
    public const string AdminKeyVariable = "HF_ADMIN_KEY";
    public const string FunctionKeyVariable = "HF_FUNCTION_KEY";

    /// <summary>The admin key (safety routes need it); a missing or malformed one is exit 2 before anything is sent.</summary>
    public static string Admin(CliContext context, string purpose) =>
        Read(context, AdminKeyVariable)
        ?? throw new CliInputException($"{AdminKeyVariable} is not set. {purpose} needs the function app's admin key (Api__AdminKey) in {AdminKeyVariable}.");

    /// <summary>The function key, else the admin key (the API accepts either for reading).</summary>
    public static string Reader(CliContext context) =>
        Read(context, FunctionKeyVariable) ?? Read(context, AdminKeyVariable)
        ?? throw new CliInputException($"Neither {FunctionKeyVariable} nor {AdminKeyVariable} is set. Export the function app's function key (Api__FunctionKey) in {FunctionKeyVariable}.");

    private static string? Read(CliContext context, string variable)
    {
        var value = context.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value)) return null;
        var key = value.Trim();
        // A header value is visible ASCII; anything else would be refused by HttpClient with the value in its message.
        if (key.Any(c => c is < '!' or > '~'))
            throw new CliInputException($"{variable} holds characters that cannot be sent in a header (only visible ASCII is allowed; the value is not shown).");
        return key;
    }
}

/// <summary>Text from the API or the venue made safe to print on a terminal: one line, no control characters, bounded.</summary>
internal static class Printable
{
    public static string Text(string? value, int max = 500)
    {
        if (string.IsNullOrEmpty(value)) return string.Empty;
        var chars = value.Select(c => char.IsControl(c) ? ' ' : c).ToArray();
        var text = new string(chars).Trim();
        return text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
    }

    /// <summary><see cref="Text"/>, or "-" when there is nothing to print.</summary>
    public static string OrDash(string? value, int max = 500) => Text(value, max) is { Length: > 0 } text ? text : "-";
}
