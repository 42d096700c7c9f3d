using System.Text.Json.Nodes;
using HyperFunctions.Functions.Http;

namespace HyperFunctions.Functions.Hosting;

/// <summary>
/// The custom-handler contract for non-HTTP triggers: the Functions host POSTs /{FunctionName} with
/// {"Data": {binding: value}, "Metadata": {...}} and reads {"Outputs", "Logs", "ReturnValue"}; a non-2xx
/// answer is a failed invocation, which for queue triggers means retry and, eventually, the poison queue.
/// The payload is read in both the documented shape and the one the host really builds
/// (<see cref="CustomHandlerPayload"/>; docs/architecture.md, "Custom-handler payloads").
/// Also GET / for the host's readiness check, which waits until the handler's port answers HTTP at all.
/// </summary>
public static partial class CustomHandlerEndpoint
{
    public const string ReadinessText = "HyperFunctions custom handler";

    public static void Map(IEndpointRouteBuilder routes, FunctionCatalog catalog)
    {
        // Any HTTP answer tells the host the handler is up; answer explicitly and without touching storage.
        routes.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], () => Results.Text(ReadinessText));
        foreach (var definition in catalog.Definitions.Where(d => d.Trigger != TriggerKind.Http))
        {
            routes.MapPost("/" + definition.Name, (HttpContext context, TimeProvider time, ILoggerFactory loggers) =>
                InvokeAsync(context, definition, catalog, time, loggers.CreateLogger("HyperFunctions.CustomHandler")));
        }
    }

    private static async Task<IResult> InvokeAsync(HttpContext context, FunctionDefinition definition, FunctionCatalog catalog, TimeProvider time, ILogger logger)
    {
        if (context.Request.ContentLength is > CustomHandlerPayload.MaxBytes) return Failed(StatusCodes.Status413PayloadTooLarge, $"The invocation payload is over {CustomHandlerPayload.MaxBytes} bytes.");
        byte[]? bytes;
        try
        {
            bytes = await ReadAtMostAsync(context.Request.Body, CustomHandlerPayload.MaxBytes, context.RequestAborted);
        }
        catch (BadHttpRequestException ex)
        {
            return Failed(ex.StatusCode, $"The invocation payload could not be read: {ex.Message}");
        }
        if (bytes is null) return Failed(StatusCodes.Status413PayloadTooLarge, $"The invocation payload is over {CustomHandlerPayload.MaxBytes} bytes.");

        Func<Task<string>> run;
        try
        {
            var payload = CustomHandlerPayload.Parse(bytes);
            run = definition.Trigger switch
            {
                TriggerKind.Timer => Bind(catalog.Get<ITimerFunction>(definition.Name), payload.ToTimer(definition.BindingName, definition.Name, time.GetUtcNow()), context.RequestAborted),
                TriggerKind.Queue => Bind(catalog.Get<IQueueFunction>(definition.Name), payload.ToQueue(definition.BindingName, definition.Name), context.RequestAborted),
                _ => throw new InvalidInvocationException($"{definition.Name} is not a timer or queue function."),
            };
        }
        catch (InvalidInvocationException ex)
        {
            LogInvalidInvocation(logger, definition.Name, SafeText.Display(ex.Message, 300));
            return Failed(StatusCodes.Status400BadRequest, ex.Message);
        }

        try
        {
            var summary = SafeText.Display(await run(), 2000);
            return Results.Json(new JsonObject { ["Outputs"] = new JsonObject(), ["Logs"] = new JsonArray(summary), ["ReturnValue"] = summary });
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogInvocationFailed(logger, ex, definition.Name);
            // Non-2xx tells the host the invocation failed (it retries queue messages, then poisons them).
            return Failed(StatusCodes.Status500InternalServerError, $"{definition.Name} failed: {ex.Message}");
        }
    }

    private static Func<Task<string>> Bind(ITimerFunction function, TimerInvocation invocation, CancellationToken ct) => () => function.RunAsync(invocation, ct);

    private static Func<Task<string>> Bind(IQueueFunction function, QueueInvocation invocation, CancellationToken ct) => () => function.RunAsync(invocation, ct);

    /// <summary>A failed invocation: non-2xx, with the reason in Logs so the host writes it to the function's log.</summary>
    private static IResult Failed(int status, string detail)
    {
        var text = SafeText.Display(detail, 2000);
        return Results.Json(
            new JsonObject { ["Outputs"] = new JsonObject(), ["Logs"] = new JsonArray(text), ["ReturnValue"] = null, ["error"] = text },
            statusCode: status);
    }

    private static async Task<byte[]?> ReadAtMostAsync(Stream body, int max, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {Function} failed")]
    private static partial void LogInvocationFailed(ILogger logger, Exception ex, string function);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation of {Function} refused: {Reason}")]
    private static partial void LogInvalidInvocation(ILogger logger, string function, string reason);
}
