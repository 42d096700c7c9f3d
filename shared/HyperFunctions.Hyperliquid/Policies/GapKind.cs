namespace HyperFunctions.Hyperliquid.Policies;

/// <summary>What a sequence/time observation says about a stream's continuity.</summary>
public enum GapKind
{
    /// <summary>In order, no gap.</summary>
    None,

    /// <summary>First observation of the stream (or first after a reset).</summary>
    First,

    /// <summary>The venue time advanced by more than the gap threshold since the last message.</summary>
    TimeGap,

    /// <summary>Sequence or time went backwards.</summary>
    OutOfOrder,

    /// <summary>The same sequence id was seen again.</summary>
    Duplicate,
}
