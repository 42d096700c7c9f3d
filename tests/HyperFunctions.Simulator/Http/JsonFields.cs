using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HyperFunctions.Simulator.Http;

/// <summary>Typed field access that reports serde-style problems ("missing field `x`", "invalid type …").</summary>
internal static class JsonFields
{
    public static bool TryString(JsonObject obj, string name, [NotNullWhen(true)] out string? value, out string? error)
    {
        value = null;
        error = null;
        if (obj[name] is not { } node)
        {
            error = $"missing field `{name}`";
            return false;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            error = $"invalid type for `{name}`: expected a string";
            return false;
        }

        value = node.GetValue<string>();
        return true;
    }

    public static bool TryLong(JsonObject obj, string name, out long value, out string? error)
    {
        value = 0;
        error = null;
        if (obj[name] is not { } node)
        {
            error = $"missing field `{name}`";
            return false;
        }

        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue(out value))
        {
            error = $"invalid type for `{name}`: expected an integer";
            return false;
        }

        return true;
    }

    public static bool TryOptionalLong(JsonObject obj, string name, out long? value, out string? error)
    {
        value = null;
        error = null;
        if (obj[name] is null)
        {
            return true;
        }

        if (!TryLong(obj, name, out var number, out error))
        {
            return false;
        }

        value = number;
        return true;
    }

    public static bool TryBool(JsonObject obj, string name, out bool value, out string? error)
    {
        value = false;
        error = null;
        if (obj[name] is not { } node)
        {
            error = $"missing field `{name}`";
            return false;
        }

        if (node.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            error = $"invalid type for `{name}`: expected a boolean";
            return false;
        }

        value = node.GetValue<bool>();
        return true;
    }

    public static bool TryObject(JsonObject obj, string name, [NotNullWhen(true)] out JsonObject? value, out string? error)
    {
        value = obj[name] as JsonObject;
        error = value is null ? (obj[name] is null ? $"missing field `{name}`" : $"invalid type for `{name}`: expected an object") : null;
        return value is not null;
    }

    public static bool TryArray(JsonObject obj, string name, [NotNullWhen(true)] out JsonArray? value, out string? error)
    {
        value = obj[name] as JsonArray;
        error = value is null ? (obj[name] is null ? $"missing field `{name}`" : $"invalid type for `{name}`: expected a sequence") : null;
        return value is not null;
    }
}
