using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace HyperFunctions.Simulator.Http;

/// <summary>POST /info.</summary>
internal sealed class InfoEndpoint(RestGate gate, InfoQueries queries)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (!await gate.EnterAsync(context))
        {
            return;
        }

        var (ok, node) = await HttpIo.ReadJsonAsync(context);
        if (!ok)
        {
            return;
        }

        if (node is not JsonObject request)
        {
            await HttpIo.Unprocessable(context, "invalid type: expected an object");
            return;
        }

        if (request["type"] is not { } typeNode || typeNode.GetValueKind() != JsonValueKind.String)
        {
            await HttpIo.Unprocessable(context, "missing field `type`");
            return;
        }

        var type = typeNode.GetValue<string>();
        if (!await gate.SpendAsync(context, InfoRequests.BaseWeight(type)))
        {
            return;
        }

        if (!InfoRequests.IsSupported(type))
        {
            await HttpIo.Unprocessable(context, $"unknown variant `{type}`");
            return;
        }

        if (gate.Faults.TryConsumeMalformedInfo(type) is { } malformed)
        {
            await HttpIo.WriteJson(context, HttpIo.Utf8(malformed));
            return;
        }

        var result = queries.Answer(type, request);
        if (result.Body is null)
        {
            await HttpIo.Unprocessable(context, result.Error!);
            return;
        }

        if (InfoRequests.ItemWeighted.Contains(type))
        {
            gate.Surcharge(context, result.Items / 20);
        }

        await HttpIo.WriteJson(context, result.Body);
    }
}
