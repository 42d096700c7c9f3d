using System.Text.Json;
using System.Text.Json.Nodes;

namespace HyperFunctions.Functions.Hosting;

/// <summary>
/// The custom-handler contract for non-HTTP triggers: the Functions host POSTs /{FunctionName} with
/// {"Data": {binding: value}, "Metadata": {...}} and reads {"Outputs", "Logs", "ReturnValue"}; a non-2xx
/// answer is a failed invocation, which for queue triggers means retry and, eventually, the poison queue.
/// (Microsoft Learn, "Azure Functions custom handlers", request and response payload sections.)
/// </summary>
public static partial class CustomHandlerEndpoint
{
    public static void Map(IEndpointRouteBuilder routes, FunctionCatalog catalog)
    {
        foreach (var definition in catalog.Definitions.Where(d => d.Trigger != TriggerKind.Http))
        {
            routes.MapPost("/" + definition.Name, (HttpContext context, TimeProvider time, ILoggerFactory loggers) =>
                InvokeAsync(context, definition, catalog, time, loggers.CreateLogger("HyperFunctions.CustomHandler")));
        }
    }

    private static async Task<IResult> InvokeAsync(HttpContext context, FunctionDefinition definition, FunctionCatalog catalog, TimeProvider time, ILogger logger)
    {
        JsonObject? payload;
        try
        {
            payload = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException ex)
        {
            return Problem(400, $"The invocation payload is not JSON: {ex.Message}");
        }
        if (payload?["Data"] is not JsonObject data)
            return Problem(400, "The invocation payload needs a 'Data' object.");
        var metadata = payload["Metadata"] as JsonObject ?? [];
        if (!data.TryGetPropertyValue(definition.BindingName, out var trigger) || trigger is null)
            return Problem(400, $"'Data' has no '{definition.BindingName}' (the trigger binding of {definition.Name}).");

        try
        {
            var summary = definition.Trigger switch
            {
                TriggerKind.Timer => await catalog.Get<ITimerFunction>(definition.Name).RunAsync(ToTimer(trigger, time), context.RequestAborted),
                TriggerKind.Queue => await catalog.Get<IQueueFunction>(definition.Name).RunAsync(ToQueue(trigger, metadata), context.RequestAborted),
                _ => throw new InvalidOperationException($"{definition.Name} is not a timer or queue function."),
            };
            return Results.Json(new JsonObject { ["Outputs"] = new JsonObject(), ["Logs"] = new JsonArray(summary), ["ReturnValue"] = summary });
        }
        catch (FormatException ex)
        {
            return Problem(400, ex.Message);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogInvocationFailed(logger, ex, definition.Name);
            // Non-2xx tells the host the invocation failed (it retries queue messages, then poisons them).
            return Results.Json(
                new JsonObject { ["Outputs"] = new JsonObject(), ["Logs"] = new JsonArray($"{definition.Name} failed: {ex.Message}"), ["ReturnValue"] = null },
                statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    private static TimerInvocation ToTimer(JsonNode trigger, TimeProvider time)
    {
        // The host sends {"Schedule": {...}, "ScheduleStatus": {...}|null, "IsPastDue": bool}.
        var pastDue = trigger is JsonObject obj && obj["IsPastDue"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        return new TimerInvocation(time.GetUtcNow(), pastDue);
    }

    private static QueueInvocation ToQueue(JsonNode trigger, JsonObject metadata)
    {
        // The host passes the message as a JSON string; a JSON message body may arrive already parsed.
        var body = trigger is JsonValue value && value.TryGetValue<string>(out var text) ? text : trigger.ToJsonString();
        var id = metadata["Id"]?.GetValue<string>() ?? throw new FormatException("Queue metadata has no 'Id'.");
        var dequeue = metadata["DequeueCount"] is JsonValue d && d.TryGetValue<long>(out var count) ? count : throw new FormatException("Queue metadata has no numeric 'DequeueCount'.");
        DateTimeOffset? inserted = metadata["InsertionTime"] is JsonValue i && i.TryGetValue<DateTimeOffset>(out var at) ? at : null;
        return new QueueInvocation(id, body, dequeue, inserted);
    }

    private static IResult Problem(int status, string detail) =>
        Results.Json(
            new JsonObject { ["Outputs"] = new JsonObject(), ["Logs"] = new JsonArray(detail), ["ReturnValue"] = null, ["error"] = detail },
            statusCode: status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {Function} failed")]
    private static partial void LogInvocationFailed(ILogger logger, Exception ex, string function);
}
