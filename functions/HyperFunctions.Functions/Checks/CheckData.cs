namespace HyperFunctions.Functions.Checks;

/// <summary>Names of the facts checks publish in their result's data, where other parts read them.</summary>
public static class CheckData
{
    /// <summary>Comma-separated coins a check found stale (StalenessCheck: books; FundingDelayCheck: funding).</summary>
    public const string StaleCoins = "staleCoins";

    /// <summary>FundingDelayCheck: the position-size factor execution applies while FUNDING_STALE holds ("1" when it does not).</summary>
    public const string SizeReductionFactor = "sizeReductionFactor";
}
