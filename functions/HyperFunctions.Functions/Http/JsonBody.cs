using System.Text.Json;
using HyperFunctions.Domain;

namespace HyperFunctions.Functions.Http;

/// <summary>
/// Strict reading of a small JSON request body: unknown fields, wrong types, missing or over-long values
/// are collected per field so the 400 names every one, and nothing is written when there is any.
/// </summary>
public sealed class JsonBody
{
    public const int MaxBytes = 16 * 1024;
    public const int MaxText = 1000;

    private readonly Dictionary<string, JsonElement> _fields;
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    private JsonBody(Dictionary<string, JsonElement> fields) => _fields = fields;

    public bool IsValid => _errors.Count == 0;

    public IReadOnlyDictionary<string, string[]> Errors => _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

    /// <summary>Reads the body; on a body that is not a JSON object returns null and the error.</summary>
    public static async Task<(JsonBody? Body, IResult? Error)> ReadAsync(HttpRequest request, IReadOnlyCollection<string> allowedFields)
    {
        if (request.ContentLength is > MaxBytes)
            return (null, Problems.Create(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body may be at most {MaxBytes} bytes."));
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Invalid(new Dictionary<string, string[]> { ["body"] = [$"Not valid JSON: {ex.Message}"] }));
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return (null, Problems.Invalid(new Dictionary<string, string[]> { ["body"] = ["Must be a JSON object."] }));
            var fields = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
            var body = new JsonBody(fields);
            foreach (var unknown in fields.Keys.Where(k => !allowedFields.Contains(k)))
                body.Error(unknown, $"Unknown field; allowed: {string.Join(", ", allowedFields)}.");
            return (body, null);
        }
    }

    public string? Text(string field, bool required)
    {
        if (!_fields.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) Error(field, "Required.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String) return Error<string>(field, "Must be a string.");
        var text = value.GetString()!.Trim();
        if (required && text.Length == 0) return Error<string>(field, "Must not be empty.");
        if (text.Length > MaxText) return Error<string>(field, $"At most {MaxText} characters.");
        return text;
    }

    public bool Flag(string field)
    {
        if (!_fields.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null) return false;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Error(field, "Must be true or false.");
        return false;
    }

    public TEnum? WireEnum<TEnum>(string field, bool required) where TEnum : struct, Enum
    {
        var text = Text(field, required);
        if (text is null) return null;
        if (WireNames<TEnum>.TryParse(text, out var value)) return value;
        Error(field, $"'{text}' is not one of: {string.Join(", ", WireNames<TEnum>.All)}.");
        return null;
    }

    public void Error(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    private T? Error<T>(string field, string message) where T : class
    {
        Error(field, message);
        return null;
    }
}
