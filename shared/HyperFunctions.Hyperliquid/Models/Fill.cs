namespace HyperFunctions.Hyperliquid.Models;

/// <summary>A fill; <see cref="Tid"/> identifies it, <see cref="Hash"/> the transaction.</summary>
public sealed record Fill(
    string Coin,
    decimal Px,
    decimal Sz,
    string Side,
    long Time,
    decimal StartPosition,
    string Dir,
    decimal ClosedPnl,
    string Hash,
    long Oid,
    bool Crossed,
    decimal Fee,
    long Tid,
    string? FeeToken = null,
    string? Cloid = null);

/// <summary>One funding rate entry of <c>fundingHistory</c>.</summary>
public sealed record FundingRecord(string Coin, decimal FundingRate, decimal Premium, long Time);
