using NJsonSchema;
using NJsonSchema.Validation;

namespace HyperFunctions.Configuration;

/// <summary>The embedded JSON schema for the settings file, and validation with readable messages.</summary>
public static class SettingsSchema
{
    private static readonly Lazy<Task<JsonSchema>> Schema = new(LoadAsync);

    /// <summary>Keys that hold secrets: rejected in the file with a message saying where they belong.</summary>
    private static readonly Dictionary<string, string> SecretKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Storage.ConnectionString"] = "Storage__ConnectionString",
        ["Api.AdminKey"] = HyperFunctionsSecrets.AdminKeyVariable,
        ["Api.FunctionKey"] = HyperFunctionsSecrets.FunctionKeyVariable,
        ["Hyperliquid.PrivateKey"] = HyperFunctionsSecrets.HyperliquidPrivateKeyVariable,
    };

    public static string Text
    {
        get
        {
            using var stream = typeof(SettingsSchema).Assembly.GetManifestResourceStream("hyperfunctions.schema.json")
                ?? throw new InvalidOperationException("The settings schema is not embedded in the assembly.");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    /// <summary>Validates JSON text; each error names the offending key as a dotted path.</summary>
    public static async Task<IReadOnlyList<string>> ValidateAsync(string json, string origin)
    {
        var schema = await Schema.Value;
        ICollection<ValidationError> errors;
        try
        {
            errors = schema.Validate(json);
        }
        catch (Newtonsoft.Json.JsonException ex)
        {
            return [$"{origin}: not valid JSON ({ex.Message})"];
        }
        return errors.SelectMany(Flatten).Select(e => Describe(e, origin)).Distinct().ToList();
    }

    private static IEnumerable<ValidationError> Flatten(ValidationError error) =>
        error is ChildSchemaValidationError child && child.Errors.Count > 0
            ? child.Errors.SelectMany(kv => kv.Value).SelectMany(Flatten)
            : [error];

    private static string Describe(ValidationError error, string origin)
    {
        var path = (error.Path ?? "#").TrimStart('#', '/').Replace('/', '.');
        if (error.Kind == ValidationErrorKind.NoAdditionalPropertiesAllowed && SecretKeys.TryGetValue(path, out var variable))
            return $"{origin}: '{path}' is a secret and is not allowed in the settings file; set the environment variable {variable} (or a Key Vault reference) instead.";
        var key = string.IsNullOrEmpty(path) ? "(root)" : path;
        var hint = error.Kind switch
        {
            ValidationErrorKind.NoAdditionalPropertiesAllowed => "is not a known setting",
            ValidationErrorKind.NotInEnumeration => "has a value that is not one of the allowed values",
            ValidationErrorKind.PatternMismatch => "does not match the required format",
            ValidationErrorKind.NumberTooSmall => "is below the minimum",
            ValidationErrorKind.NumberTooBig => "is above the maximum",
            ValidationErrorKind.IntegerExpected => "must be a whole number",
            ValidationErrorKind.StringExpected => "must be a string",
            ValidationErrorKind.BooleanExpected => "must be true or false",
            ValidationErrorKind.ObjectExpected => "must be an object",
            _ => $"is invalid ({error.Kind})",
        };
        return $"{origin}: '{key}' {hint}.";
    }

    private static Task<JsonSchema> LoadAsync() => JsonSchema.FromJsonAsync(Text);
}
