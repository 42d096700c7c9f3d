namespace HyperFunctions.Domain.Execution;
/// <summary>One order the venue cancelled (or refused to cancel, with the venue's text).</summary>
public sealed record CancelledOrder(string Coin, long Oid, string? Cloid, bool Cancelled, string? Error);
/// <summary>What a cancel-all did: every open order found and what became of it, and how long it took.</summary>
public sealed record CancelAllReport(IReadOnlyList<CancelledOrder> Orders, TimeSpan Duration, string? Failure)
{ public bool Complete => Failure is null && Orders.All(o => o.Cancelled); }
/// <summary>Cancels every open order of the own account at the venue (cancels are allowed in every safety mode).</summary>
public interface IOpenOrderCanceller { Task<CancelAllReport> CancelAllAsync(string reason, CancellationToken ct); }
