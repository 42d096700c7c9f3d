using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyperFunctions.Simulator.Json;
using Microsoft.AspNetCore.Http;

namespace HyperFunctions.Simulator.Http;

/// <summary>The venue's HTTP error conventions (its server answers like axum's Json extractor) and body I/O.</summary>
internal static class HttpIo
{
    public const int MaxBodyBytes = 1 << 20;

    public static Task WriteJson(HttpContext context, byte[] body, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    public static Task WriteText(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    /// <summary>422: well-formed JSON that does not fit the request type.</summary>
    public static Task Unprocessable(HttpContext context, string detail) =>
        WriteText(context, StatusCodes.Status422UnprocessableEntity, $"Failed to deserialize the JSON body into the target type: {detail}");

    /// <summary>Reads the body as a JSON node, or answers 415/400/413 and returns null.</summary>
    public static async Task<(bool Ok, JsonNode? Node)> ReadJsonAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await WriteText(context, StatusCodes.Status415UnsupportedMediaType, "Expected request with `Content-Type: application/json`");
            return (false, null);
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length > MaxBodyBytes)
        {
            await WriteText(context, StatusCodes.Status413PayloadTooLarge, "Failed to buffer the request body: length limit exceeded");
            return (false, null);
        }

        try
        {
            return (true, JsonNode.Parse(buffer.ToArray(), documentOptions: SimJson.ParseOptions));
        }
        catch (JsonException ex)
        {
            await WriteText(context, StatusCodes.Status400BadRequest, $"Failed to parse the request body as JSON: {ex.Message}");
            return (false, null);
        }
    }

    public static string Describe(JsonNode? node) => node?.ToJsonString() ?? "null";

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
