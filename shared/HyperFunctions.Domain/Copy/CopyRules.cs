using HyperFunctions.Domain.Execution;

namespace HyperFunctions.Domain.Copy;

/// <summary>One fill of the followed (target) account as the keeper stored it. <see cref="Side"/> is the venue's "B" (bought) or "A" (sold).</summary>
public sealed record TargetFill(string Key, string Coin, string Side, decimal Size, decimal Price, long Time, long Tid);

/// <summary>
/// Per-coin caps of copy trading; null means no cap of that kind.
/// <see cref="MaxOrderSize"/>: the largest size of one mirrored order (a larger scaled size is cut to it).
/// <see cref="MaxPosition"/>: the largest absolute position of the own account in the coin a mirrored order may lead to,
/// judged against the position the caller passes (<see cref="CopyExposure"/>: the venue position and every mirrored order on its way); an order that
/// would pass it is cut so it ends exactly at the cap, and skipped when nothing is left.
/// </summary>
public sealed record CopyCaps(decimal? MaxOrderSize, decimal? MaxPosition)
{
    public static CopyCaps None { get; } = new(null, null);
}

/// <summary>How mirrored orders are built: size × <see cref="Ratio"/>, placed as market IOC orders with <see cref="Slippage"/>.</summary>
public sealed record CopyPlan(decimal Ratio, decimal Slippage, IReadOnlyDictionary<string, CopyCaps> Caps);

/// <summary>Why a target fill produced no intent. Wire names are snake case (<c>zero_size</c>).</summary>
public enum CopySkip
{
    /// <summary>The coin is not listed under CopyTrading:Coins.</summary>
    CoinNotConfigured,
    /// <summary>The venue's meta does not list the coin (its size decimals are unknown).</summary>
    CoinNotListed,
    /// <summary>The fill's side is neither "B" nor "A", or its size is not positive.</summary>
    BadFill,
    /// <summary>Size × ratio rounded down to the coin's size decimals is 0.</summary>
    ZeroSize,
    /// <summary>The position cap leaves nothing to mirror.</summary>
    PositionCap,
    /// <summary>Execution:Mode is backfill-only: the cursor moves, no intent is created.</summary>
    BackfillOnly,
    /// <summary>The fill belongs to the own account (never copied).</summary>
    OwnAccount,
}

/// <summary>The mapping of one target fill: an intent (possibly cut by a cap, <see cref="CappedBy"/> names which), or a skip.</summary>
public sealed record CopyDecision(OrderIntent? Intent, CopySkip? Skip, string Detail, string? CappedBy = null)
{
    public bool Copied => Intent is not null;
}

/// <summary>Where the copier stands in the target's fills: the last fill handled, in (time, tid, key) order.</summary>
public sealed record CopyPosition(long Time, long Tid, string Key)
{
    /// <summary>A start point at <paramref name="time"/> that counts every fill at or before that time as handled.</summary>
    public static CopyPosition At(long time) => new(time, long.MaxValue, "");
}

/// <summary>
/// Pure rules of copy trading: a target fill becomes a mirrored market intent of the own account, on the
/// same side, size × ratio rounded DOWN to the coin's size decimals, cut by the per-coin caps; its source key
/// is <c>copy:&lt;fill key&gt;</c>, so the same fill always gives the same cloid.
/// </summary>
public static class CopyRules
{
    public const string SourcePrefix = "copy:";

    public static string SourceKey(string fillKey) => SourcePrefix + fillKey;

    /// <summary>Whether <paramref name="fill"/> comes after <paramref name="position"/> in cursor order (time, tid, key).</summary>
    public static bool IsAfter(TargetFill fill, CopyPosition position)
    {
        ArgumentNullException.ThrowIfNull(fill);
        ArgumentNullException.ThrowIfNull(position);
        if (fill.Time != position.Time) return fill.Time > position.Time;
        if (fill.Tid != position.Tid) return fill.Tid > position.Tid;
        return string.CompareOrdinal(fill.Key, position.Key) > 0;
    }

    /// <summary>The fills after <paramref name="position"/> and at or before <paramref name="upToTime"/>, in cursor order, at most <paramref name="limit"/>.</summary>
    public static IReadOnlyList<TargetFill> Pending(IEnumerable<TargetFill> fills, CopyPosition position, long upToTime, int limit) =>
        fills.Where(f => IsAfter(f, position) && f.Time <= upToTime)
            .OrderBy(f => f.Time).ThenBy(f => f.Tid).ThenBy(f => f.Key, StringComparer.Ordinal)
            .DistinctBy(f => f.Key)
            .Take(limit)
            .ToList();

    /// <summary>Rounds toward zero to <paramref name="decimals"/> places (never up: a mirrored order is never larger than asked).</summary>
    public static decimal RoundDown(decimal value, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        return Math.Round(value, decimals, MidpointRounding.ToZero) / 1.000000000000000000000000000000000m; // the division drops trailing zeros (0.0010 → 0.001)
    }

    /// <summary>
    /// Maps one target fill. <paramref name="szDecimals"/> is the coin's size decimals from the venue's meta (null: not listed);
    /// <paramref name="position"/> the own account's signed position in the coin the caps are judged against.
    /// </summary>
    public static CopyDecision Map(TargetFill fill, CopyPlan plan, int? szDecimals, decimal position) =>
        Map(fill, plan, szDecimals, PositionRange.At(position));

    /// <summary>
    /// Maps one target fill against the range the own position can end in (<see cref="CopyExposure"/>: the venue position
    /// and the mirrored orders on their way). MaxPosition leaves a buy the room up to +max from the range's highest end and
    /// a sell the room down to -max from its lowest end, so the position stays within the cap whichever of those orders fill.
    /// </summary>
    public static CopyDecision Map(TargetFill fill, CopyPlan plan, int? szDecimals, PositionRange position)
    {
        ArgumentNullException.ThrowIfNull(fill);
        ArgumentNullException.ThrowIfNull(plan);
        if (!plan.Caps.TryGetValue(fill.Coin, out var caps))
            return Skip(CopySkip.CoinNotConfigured, $"{fill.Coin} is not listed under CopyTrading:Coins.");
        if (szDecimals is not { } decimals || decimals < 0)
            return Skip(CopySkip.CoinNotListed, $"The venue's meta lists no {fill.Coin}.");
        OrderSide side;
        if (fill.Side == "B") side = OrderSide.Buy;
        else if (fill.Side == "A") side = OrderSide.Sell;
        else return Skip(CopySkip.BadFill, $"Fill side '{fill.Side}' is neither B nor A.");
        if (fill.Size <= 0) return Skip(CopySkip.BadFill, $"Fill size {fill.Size} is not positive.");

        var size = RoundDown(fill.Size * plan.Ratio, decimals);
        if (size <= 0) return Skip(CopySkip.ZeroSize, $"{fill.Size} × {plan.Ratio} rounds down to 0 at {decimals} size decimals.");

        string? cappedBy = null;
        if (caps.MaxOrderSize is { } maxOrder)
        {
            var cap = RoundDown(maxOrder, decimals);
            if (size > cap)
            {
                size = cap;
                cappedBy = "maxOrderSize";
            }
            if (size <= 0) return Skip(CopySkip.ZeroSize, $"MaxOrderSize {maxOrder} rounds down to 0 at {decimals} size decimals.");
        }

        if (caps.MaxPosition is { } maxPosition)
        {
            // Room on the order's side: a buy may take the position up to +max, a sell down to -max.
            var room = RoundDown(side == OrderSide.Buy ? maxPosition - position.Highest : maxPosition + position.Lowest, decimals);
            if (room <= 0) return Skip(CopySkip.PositionCap, $"The position {position} {fill.Coin} leaves no room under MaxPosition {maxPosition} for a {side.ToString().ToLowerInvariant()}.");
            if (size > room)
            {
                size = room;
                cappedBy = "maxPosition";
            }
        }

        var (intent, errors) = OrderIntentRules.Validate(
            new OrderIntentDraft(fill.Coin, side == OrderSide.Buy ? "buy" : "sell", size, "market", null, plan.Slippage, null, false, null),
            SourceKey(fill.Key));
        if (intent is null)
            return Skip(CopySkip.BadFill, "The mirrored intent is not valid: " + string.Join("; ", errors.Select(kv => $"{kv.Key}: {string.Join(" ", kv.Value)}")));
        var detail = $"{side.ToString().ToLowerInvariant()} {size} {fill.Coin} for the target's {fill.Size} × {plan.Ratio}" + (cappedBy is null ? "" : $", cut by {cappedBy}");
        return new CopyDecision(intent, null, detail, cappedBy);
    }

    public static string ToWire(this CopySkip skip) => skip switch
    {
        CopySkip.CoinNotConfigured => "coin_not_configured",
        CopySkip.CoinNotListed => "coin_not_listed",
        CopySkip.BadFill => "bad_fill",
        CopySkip.ZeroSize => "zero_size",
        CopySkip.PositionCap => "position_cap",
        CopySkip.BackfillOnly => "backfill_only",
        CopySkip.OwnAccount => "own_account",
        _ => skip.ToString(),
    };

    private static CopyDecision Skip(CopySkip skip, string detail) => new(null, skip, detail);
}
