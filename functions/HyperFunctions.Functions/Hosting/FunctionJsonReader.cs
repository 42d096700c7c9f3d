using System.Text.Json;

namespace HyperFunctions.Functions.Hosting;

/// <summary>
/// Reads the &lt;Function&gt;/function.json files that sit beside the executable (the layout Azure Functions
/// deploys), so self-host mode runs exactly the triggers the Functions host would.
/// </summary>
public static class FunctionJsonReader
{
    public static IReadOnlyList<FunctionDefinition> ReadAll(string baseDirectory)
    {
        var result = new List<FunctionDefinition>();
        foreach (var dir in Directory.EnumerateDirectories(baseDirectory).Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(dir, "function.json");
            if (File.Exists(path)) result.Add(Parse(Path.GetFileName(dir), File.ReadAllText(path)));
        }
        return result;
    }

    public static FunctionDefinition Parse(string name, string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("bindings", out var bindings) || bindings.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{name}/function.json has no bindings array.");
        foreach (var binding in bindings.EnumerateArray())
        {
            var type = binding.GetProperty("type").GetString();
            var bindingName = binding.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            switch (type)
            {
                case "timerTrigger":
                    return new FunctionDefinition(name, TriggerKind.Timer, bindingName, Schedule: Required(binding, "schedule", name));
                case "queueTrigger":
                    return new FunctionDefinition(name, TriggerKind.Queue, bindingName, QueueName: Required(binding, "queueName", name));
                case "httpTrigger":
                    var level = (binding.TryGetProperty("authLevel", out var a) ? a.GetString() : "function") switch
                    {
                        "anonymous" => AuthLevel.Anonymous,
                        "function" => AuthLevel.Function,
                        "admin" => AuthLevel.Admin,
                        var other => throw new InvalidDataException($"{name}/function.json: authLevel '{other}' is not anonymous, function or admin."),
                    };
                    var methods = binding.TryGetProperty("methods", out var m) ? m.EnumerateArray().Select(x => x.GetString()!.ToUpperInvariant()).ToList() : null;
                    return new FunctionDefinition(name, TriggerKind.Http, bindingName, AuthLevel: level, Route: Required(binding, "route", name), Methods: methods);
            }
        }
        throw new InvalidDataException($"{name}/function.json has no httpTrigger, timerTrigger or queueTrigger binding.");
    }

    private static string Required(JsonElement binding, string property, string function) =>
        binding.TryGetProperty(property, out var value) && value.GetString() is { Length: > 0 } text
            ? text
            : throw new InvalidDataException($"{function}/function.json: the trigger binding needs '{property}'.");
}
