using System.Text.RegularExpressions;

namespace HyperFunctions.Functions.Http;

/// <summary>
/// Who an operator request is recorded as: the X-Operator header if given (validated), else "operator".
/// Keys are shared, so the header is how a desk names the person in the audit trail.
/// </summary>
public static partial class OperatorIdentity
{
    public const string HeaderName = "X-Operator";

    public static string Resolve(HttpRequest request, JsonBody body)
    {
        var raw = request.Headers[HeaderName].FirstOrDefault();
        if (raw is null) return "operator";
        if (!Pattern().IsMatch(raw))
        {
            body.Error(HeaderName, "Must be 1-64 characters of letters, digits, @ . _ -.");
            return "operator";
        }
        return "operator:" + raw;
    }

    [GeneratedRegex("^[A-Za-z0-9@._-]{1,64}$")]
    private static partial Regex Pattern();
}
