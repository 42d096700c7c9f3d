using System.Globalization;
using HyperFunctions.Simulator.Core;
using Microsoft.AspNetCore.Http;

namespace HyperFunctions.Simulator.Http;

/// <summary>What every /info and /exchange request passes first: counting, injected 429/HTTP errors, latency, weight budget.</summary>
internal sealed class RestGate(SimClock clock, SimulatorFaults faults, SimulatorStats stats, WeightBudget budget)
{
    public SimulatorFaults Faults => faults;

    /// <summary>Applies injected faults; false when the request was already answered.</summary>
    public async Task<bool> EnterAsync(HttpContext context)
    {
        stats.RestRequest();
        if (faults.TryConsumeRestFault() is { } fault)
        {
            if (fault.Kind == FaultKind.RateLimit)
            {
                if (fault.RetryAfter is { } retryAfter)
                {
                    context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }

                stats.RateLimited();
                await HttpIo.WriteText(context, StatusCodes.Status429TooManyRequests, "Too Many Requests");
            }
            else
            {
                await HttpIo.WriteText(context, fault.StatusCode, ReasonPhrases(fault.StatusCode));
            }

            return false;
        }

        var latency = faults.TryConsumeLatency(FaultTarget.Rest);
        if (latency > TimeSpan.Zero)
        {
            var delay = clock.Delay(latency, context.RequestAborted);
            stats.DelayStarted();
            try
            {
                await delay;
            }
            finally
            {
                stats.DelayEnded();
            }
        }

        return true;
    }

    /// <summary>Spends the request's weight; answers 429 and returns false when the minute's budget is spent.</summary>
    public async Task<bool> SpendAsync(HttpContext context, int weight)
    {
        if (budget.TrySpend(Ip(context), weight))
        {
            return true;
        }

        stats.RateLimited();
        await HttpIo.WriteText(context, StatusCodes.Status429TooManyRequests, "Too Many Requests");
        return false;
    }

    public void Surcharge(HttpContext context, int weight) => budget.Charge(Ip(context), weight);

    private static string Ip(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string ReasonPhrases(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}
