using System.Text.Json.Nodes;
using HyperFunctions.Simulator.Exchange;
using HyperFunctions.Simulator.Json;
using HyperFunctions.Simulator.Signing;
using Microsoft.AspNetCore.Http;

namespace HyperFunctions.Simulator.Http;

/// <summary>POST /exchange: parse, weigh, recover the signer, execute.</summary>
internal sealed class ExchangeEndpoint(RestGate gate, ISignerRecovery recovery, ExchangeActions actions)
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

        ExchangeRequest? request = null;
        ParsedAction? action = null;
        string? error = null;
        var parsed = node is JsonObject body && ExchangeRequestParser.TryParse(body, out request, out action, out error);
        if (!await gate.SpendAsync(context, 1 + ((request?.BatchLength ?? 0) / 40)))
        {
            return;
        }

        if (!parsed)
        {
            await HttpIo.Unprocessable(context, error ?? "invalid type: expected an object");
            return;
        }

        string signer;
        try
        {
            signer = recovery.Recover(request!);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            await HttpIo.WriteJson(context, Envelope.Body(ExchangeActions.Err($"Unable to recover signer: {ex.Message}")));
            return;
        }

        await HttpIo.WriteJson(context, Envelope.Body(actions.Execute(request!, action!, signer)));
    }
}
