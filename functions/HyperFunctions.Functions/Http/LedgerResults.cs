using HyperFunctions.Domain.Safety;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Http;

/// <summary>Maps what the ledger did to HTTP: 200 applied/unchanged, 409 rejected, 503 while the ledger is unusable.</summary>
public static class LedgerResults
{
    public static IResult ToHttp(LedgerResult result) => result switch
    {
        LedgerResult.Applied a => Results.Ok(new CommandResponse("applied", a.State.Mode.ToWire(), a.State.Reason.ToWire(), a.State.Version, null, TransitionView.Of(a.Record))),
        LedgerResult.Unchanged u => Results.Ok(new CommandResponse("unchanged", u.State.Mode.ToWire(), u.State.Reason.ToWire(), u.State.Version, u.Why, null)),
        LedgerResult.Rejected r => Problems.Create(StatusCodes.Status409Conflict, "Not allowed from the current state", r.Why, new Dictionary<string, object?> { ["code"] = r.Code, ["mode"] = r.State?.Mode.ToWire() }),
        LedgerResult.Unavailable u => Unavailable(u.Hold),
        _ => throw new ArgumentOutOfRangeException(nameof(result)),
    };

    public static IResult Unavailable(LocalHold hold) =>
        Problems.Create(StatusCodes.Status503ServiceUnavailable, "Safety ledger unavailable",
            $"Nothing was written. This process holds a local HALT ({hold.Reason.ToWire()}) since {hold.Since:O}: {hold.Message}",
            new Dictionary<string, object?> { ["code"] = hold.Reason.ToWire() });
}
