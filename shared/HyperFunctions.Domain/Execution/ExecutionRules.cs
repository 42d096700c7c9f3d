using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Domain.Execution;

/// <summary>Pre-trade limits (Execution:MaxNotional, Execution:MaxPositionPerCoin); null means no limit.</summary>
public sealed record ExecutionLimits(decimal? MaxNotional, decimal? MaxPositionPerCoin)
{
    public static ExecutionLimits None { get; } = new(null, null);
}

/// <summary>What the executor decided before sending: send (and whether to force reduce-only at the venue), or block with a reason.</summary>
public readonly record struct ExecutionVerdict(bool Send, bool ForceReduceOnly, string Reason)
{
    public static ExecutionVerdict Block(string reason) => new(false, false, reason);
}

/// <summary>
/// The pure judgement before an order goes out: reduce-only against the venue position, the order gate,
/// then the pre-trade limits.
/// </summary>
public static class ExecutionRules
{
    /// <summary>
    /// The venue's refusal of an order whose cloid it already has ("Duplicate cloid.", docs/simulator.md; the
    /// venue reference is silent on the exact text, so any refusal naming a duplicate cloid counts).
    /// </summary>
    public static bool IsDuplicateCloid(string? venueReason) =>
        venueReason is not null && venueReason.Contains("duplicate cloid", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The size-weighted average price of an order's fills, or null unless they add up to exactly
    /// <paramref name="filledSize"/> (the venue's filled size): an incomplete set of fills never passes for the order's price.
    /// </summary>
    public static decimal? AverageFillPrice(IEnumerable<(decimal Px, decimal Sz)> fills, decimal filledSize)
    {
        ArgumentNullException.ThrowIfNull(fills);
        decimal size = 0m, notional = 0m;
        foreach (var (px, sz) in fills)
        {
            size += sz;
            notional += px * sz;
        }
        return filledSize > 0 && size == filledSize ? decimal.Round(notional / size, 10) : null;
    }

    /// <summary>The reason prefix of an intent refused for its age.</summary>
    public const string IntentExpired = "INTENT_EXPIRED";

    /// <summary>
    /// Why an intent submitted at <paramref name="submittedAt"/> is too old to be sent at <paramref name="now"/>, or null
    /// when it is not (or <paramref name="maxAge"/> is zero: no limit). Asked only once the venue has been asked whether
    /// an earlier attempt placed it, so an order that exists is recorded, never refused for its age.
    /// </summary>
    public static string? WhyExpired(DateTimeOffset submittedAt, DateTimeOffset now, TimeSpan maxAge)
    {
        if (maxAge <= TimeSpan.Zero) return null;
        var age = now - submittedAt;
        return age > maxAge
            ? $"{IntentExpired}: submitted {age.TotalSeconds:0} s ago, more than Execution:MaxIntentAgeSeconds ({maxAge.TotalSeconds:0}); not sent. Submit a new intent (a new cloid) if it still stands."
            : null;
    }

    /// <summary>
    /// Whether the order can only shrink the position: there is a position, the order is on the other
    /// side, and it is no larger than the position (so it cannot flip it).
    /// </summary>
    public static bool Reduces(decimal position, OrderSide side, decimal size) =>
        size > 0 && position != 0 && (side == OrderSide.Buy ? position < 0 : position > 0) && size <= Math.Abs(position);

    /// <summary>
    /// Decides on an intent. <paramref name="gate"/> is the order gate (the ledger's
    /// <c>EvaluateGateAsync</c>, or <see cref="OrderGate.Evaluate"/> in tests) asked with whether the
    /// order reduces the current venue position — the intent's own reduceOnly flag is not trusted for
    /// that. An order admitted because it reduces goes out reduce-only, so the venue enforces it too.
    /// </summary>
    /// <param name="position">The account's signed position in the coin at the venue (0 when flat).</param>
    /// <param name="referencePrice">The limit price, or the mid for a market order; null when unknown.</param>
    /// <param name="fundingFactor">
    /// The FundingDelayCheck's published <c>sizeReductionFactor</c> while FUNDING_STALE holds in the ledger, else 1:
    /// for an order that does not reduce, MaxNotional and MaxPositionPerCoin are multiplied by it (an order that
    /// reduces is never held back by it). In (0, 1].
    /// </param>
    public static ExecutionVerdict Decide(OrderIntent intent, SafetyMode mode, Func<GateRequest, GateDecision> gate, decimal position, decimal? referencePrice, ExecutionLimits limits,
        decimal fundingFactor = 1m)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(limits);
        if (fundingFactor <= 0 || fundingFactor > 1) throw new ArgumentOutOfRangeException(nameof(fundingFactor), "Must be in (0, 1].");
        var reduces = Reduces(position, intent.Side, intent.Size);
        var factor = reduces ? 1m : fundingFactor;
        var scaled = factor < 1 ? $" × funding reduction factor {factor} (FUNDING_STALE holds)" : "";
        if (intent.ReduceOnly && !reduces)
            return ExecutionVerdict.Block($"reduceOnly order would not reduce the position ({intent.Side.ToString().ToLowerInvariant()} {intent.Size} against {position} {intent.Coin}).");
        var decision = gate(new GateRequest(OrderAction.Place, reduces));
        if (!decision.Admitted)
        {
            var why = mode == SafetyMode.ArmedSafe && !reduces
                ? $"{decision.Reason} The order would increase or open the position ({position} {intent.Coin})."
                : decision.Reason;
            return ExecutionVerdict.Block(why);
        }

        if (limits.MaxNotional is { } maxNotional)
        {
            if (referencePrice is not { } price)
                return ExecutionVerdict.Block($"MaxNotional is set but no reference price is known for {intent.Coin}.");
            var notional = intent.Size * price;
            if (notional > maxNotional * factor) return ExecutionVerdict.Block($"Notional {notional} exceeds Execution:MaxNotional {maxNotional}{scaled}.");
        }

        if (limits.MaxPositionPerCoin is { } maxPosition && !reduces)
        {
            var after = Math.Abs(position + intent.SignedSize);
            if (after > maxPosition * factor) return ExecutionVerdict.Block($"The position in {intent.Coin} would be {after}, above Execution:MaxPositionPerCoin {maxPosition}{scaled}.");
        }

        return new ExecutionVerdict(true, mode != SafetyMode.ArmedLive || intent.ReduceOnly, decision.Reason);
    }
}
