using System.Text;
using System.Text.Json;
using HyperFunctions.Domain;

namespace HyperFunctions.Functions.Http;

/// <summary>
/// Strict reading of a small JSON request body: unknown, repeated or unreadable fields, wrong types,
/// missing or over-long values are collected per field so the 400 names every one, and nothing is
/// written when there is any.
/// </summary>
/// <remarks>
/// The body is read as UTF-8 JSON whatever the Content-Type says (curl -d sends a form type by default,
/// and the Functions host forwards the header only with a non-empty body). Anything the caller can
/// send is a 400 or 413, never a 500: broken JSON, a body that is not an object, a repeated field, a
/// field name or string that is not valid Unicode (a lone surrogate escape such as "\ud800", or bytes
/// that are not UTF-8), nesting deeper than <see cref="MaxDepth"/>, and control characters in text.
/// </remarks>
public sealed class JsonBody
{
    public const int MaxBytes = 16 * 1024;
    public const int MaxText = 1000;
    public const int MaxDepth = 32;

    /// <summary>The errors-map key for problems with the body as a whole.</summary>
    public const string BodyKey = "body";

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    private JsonBody()
    {
    }

    public bool IsValid => _errors.Count == 0;

    public IReadOnlyDictionary<string, string[]> Errors => _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

    /// <summary>Reads the body; on a body that is not a readable JSON object returns null and the error (400 or 413).</summary>
    public static async Task<(JsonBody? Body, IResult? Error)> ReadAsync(HttpRequest request, IReadOnlyCollection<string> allowedFields)
    {
        if (request.ContentLength is > MaxBytes) return (null, TooLarge());
        byte[]? bytes;
        try
        {
            bytes = await ReadAtMostAsync(request.Body, MaxBytes, request.HttpContext.RequestAborted);
        }
        catch (BadHttpRequestException ex)
        {
            // The server could not read the body (cut short, over the server's own limit, too slow).
            return (null, Problems.Invalid(BodyKey, $"The body could not be read: {ex.Message}", ex.StatusCode));
        }
        if (bytes is null) return (null, TooLarge());
        var (body, errors) = Parse(bytes, allowedFields);
        return body is null ? (null, Problems.Invalid(errors!)) : (body, null);
    }

    /// <summary>
    /// Parses a body. A body that is not a JSON object gives null and the errors (keyed <see cref="BodyKey"/>);
    /// a JSON object gives the body, whose own errors (repeated, unknown or unreadable field names) are
    /// already recorded.
    /// </summary>
    public static (JsonBody? Body, IReadOnlyDictionary<string, string[]>? Errors) Parse(ReadOnlySpan<byte> utf8, IReadOnlyCollection<string> allowedFields)
    {
        if (utf8.StartsWith(Utf8Bom)) utf8 = utf8[Utf8Bom.Length..];
        if (utf8.Trim(" \t\r\n"u8).IsEmpty) return BodyError("Required: a JSON object.");
        var body = new JsonBody();
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject) return BodyError("Must be a JSON object.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = ReadName(ref reader, out var unreadable);
                reader.Read();
                var value = JsonElement.ParseValue(ref reader);
                if (name is null) body.Error(unreadable, "The field name is not valid Unicode text.");
                else if (!body._fields.TryAdd(name, value)) body.Error(name, "Given more than once.");
                else if (!allowedFields.Contains(name)) body.Error(name, $"Unknown field; allowed: {string.Join(", ", allowedFields)}.");
            }
            // Anything after the object is an error; the reader throws on it.
            while (reader.Read())
            {
            }
        }
        catch (Exception ex)
        {
            // Parsing a byte span does no I/O, so whatever goes wrong here comes from the bytes: a 400,
            // not a 500, whatever the exception class (JsonException for syntax and depth, others for
            // text that cannot be transcoded).
            return BodyError($"Not valid JSON: {ex.Message}");
        }
        return (body, null);
    }

    public string? Text(string field, bool required)
    {
        if (!_fields.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) Error(field, "Required.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String) return Error<string>(field, "Must be a string.");
        string raw;
        try
        {
            raw = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to transcode a lone surrogate escape or bytes that are not UTF-8.
            return Error<string>(field, "Must be valid Unicode text (no lone surrogate, UTF-8 only).");
        }
        if (!SafeText.IsWellFormed(raw)) return Error<string>(field, "Must be valid Unicode text (no lone surrogate, UTF-8 only).");
        var text = raw.Trim();
        if (required && text.Length == 0) return Error<string>(field, "Must not be empty.");
        if (text.Length > MaxText) return Error<string>(field, $"At most {MaxText} characters.");
        if (SafeText.HasControlCharacters(text)) return Error<string>(field, "Must not contain control characters.");
        return text;
    }

    /// <summary>
    /// A decimal given as a JSON number or as a string ("0.01"): plain notation, no exponent, sign or
    /// spaces in a string. Null when absent or null.
    /// </summary>
    public decimal? Decimal(string field)
    {
        if (!_fields.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetDecimal(out var number)) return number;
            Error(field, "Must be a decimal number within range.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Error(field, "Must be a decimal, as a string (\"0.01\") or a number.");
            return null;
        }
        var text = value.GetString() ?? "";
        if (text.Length is > 0 and <= 40
            && decimal.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint | System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            return parsed;
        Error(field, $"'{SafeText.Display(text, 40)}' is not a decimal (plain notation, e.g. \"0.01\").");
        return null;
    }

    public bool Flag(string field)
    {
        if (!_fields.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null) return false;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Error(field, "Must be true or false.");
        return false;
    }

    /// <summary>A boolean that may be absent (null), so the caller can apply its own default.</summary>
    public bool? OptionalFlag(string field) =>
        _fields.TryGetValue(field, out var value) && value.ValueKind != JsonValueKind.Null ? Flag(field) : null;

    public TEnum? WireEnum<TEnum>(string field, bool required) where TEnum : struct, Enum
    {
        var text = Text(field, required);
        if (text is null) return null;
        if (WireNames<TEnum>.TryParse(text, out var value)) return value;
        Error(field, $"'{SafeText.Display(text)}' is not one of: {string.Join(", ", WireNames<TEnum>.All)}.");
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

    private static (JsonBody?, IReadOnlyDictionary<string, string[]>?) BodyError(string message) =>
        (null, new Dictionary<string, string[]> { [BodyKey] = [message] });

    private static IResult TooLarge() =>
        Problems.Invalid(BodyKey, $"The body may be at most {MaxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);

    /// <summary>The name, or null with its raw (still escaped) text when it cannot be decoded to valid UTF-16.</summary>
    private static string? ReadName(ref Utf8JsonReader reader, out string unreadable)
    {
        unreadable = "";
        try
        {
            var name = reader.GetString()!;
            if (SafeText.IsWellFormed(name)) return name;
        }
        catch (InvalidOperationException)
        {
        }
        // The raw bytes as the caller wrote them, e.g. \ud800; bytes that are not UTF-8 become U+FFFD.
        unreadable = Encoding.UTF8.GetString(reader.ValueSpan);
        return null;
    }

    /// <summary>Reads the whole stream, or returns null as soon as it holds more than <paramref name="max"/> bytes.</summary>
    private static async Task<byte[]?> ReadAtMostAsync(Stream body, int max, CancellationToken ct)
    {
        var buffer = new byte[max + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), ct)) > 0) length += read;
        return length > max ? null : buffer[..length];
    }
}
