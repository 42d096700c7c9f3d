namespace HyperFunctions.Functions.Http;

/// <summary>RFC 9457 problem details, with an errors map naming each bad field.</summary>
public static class Problems
{
    public static IResult Create(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    public static IResult Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors.ToDictionary(kv => kv.Key, kv => kv.Value), detail: "The request body is invalid: " + string.Join(" ", errors.SelectMany(kv => kv.Value)), title: "Invalid request");
}
