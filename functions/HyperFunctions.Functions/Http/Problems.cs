namespace HyperFunctions.Functions.Http;

/// <summary>RFC 9457 problem details, with an errors map naming each bad field.</summary>
public static class Problems
{
    /// <summary>At most this many fields are named, so a body of a thousand unknown fields gets a short answer.</summary>
    public const int MaxNamedFields = 20;

    public static IResult Create(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: SafeText.Display(detail, 2000), statusCode: status, title: title, extensions: extensions);

    /// <summary>
    /// A validation problem (400 unless told otherwise) whose errors map names each bad field. Field names
    /// and messages can hold what the caller sent, so they are made valid UTF-16 and short first: the
    /// answer to a bad request must never fail to serialize.
    /// </summary>
    public static IResult Invalid(IReadOnlyDictionary<string, string[]> errors, int status = StatusCodes.Status400BadRequest)
    {
        var safe = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (field, messages) in errors.Take(MaxNamedFields))
        {
            var key = SafeText.Display(field);
            var texts = messages.Select(m => SafeText.Display(m, 300));
            safe[key] = safe.TryGetValue(key, out var existing) ? [.. existing, .. texts] : [.. texts];
        }
        var detail = "The request is invalid: " + string.Join(" ", safe.Select(kv => $"{kv.Key}: {string.Join(" ", kv.Value)}"));
        return Results.ValidationProblem(safe, detail: SafeText.Display(detail, 2000), statusCode: status, title: "Invalid request");
    }

    public static IResult Invalid(string field, string message, int status = StatusCodes.Status400BadRequest) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] }, status);
}
