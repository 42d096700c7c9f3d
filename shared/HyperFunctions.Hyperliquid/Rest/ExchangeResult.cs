using System.Net;
using System.Text.Json.Nodes;

namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>
/// The venue's answer to an <c>/exchange</c> POST: <c>{"status":"ok","response":{...}}</c> or
/// <c>{"status":"err","response":"message"}</c>. Per-order errors sit inside <c>response.data.statuses</c>.
/// </summary>
/// <param name="HttpStatus">HTTP status of the answer.</param>
/// <param name="Status"><c>ok</c> or <c>err</c>.</param>
/// <param name="Response">The <c>response</c> member as JSON.</param>
/// <param name="RawBody">The body as received.</param>
public sealed record ExchangeResult(HttpStatusCode HttpStatus, string Status, JsonNode? Response, string RawBody)
{
    /// <summary>Whether the venue accepted the action as a whole.</summary>
    public bool IsOk => string.Equals(Status, "ok", StringComparison.Ordinal);

    /// <summary>The error message when <see cref="Status"/> is <c>err</c>.</summary>
    public string? Error => IsOk ? null : Response?.GetValueKind() == System.Text.Json.JsonValueKind.String ? Response.GetValue<string>() : Response?.ToJsonString();
}
