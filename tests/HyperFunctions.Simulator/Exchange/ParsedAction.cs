namespace HyperFunctions.Simulator.Exchange;

/// <summary>The typed content of a supported action.</summary>
internal abstract record ParsedAction
{
    private ParsedAction()
    {
    }

    public sealed record Orders(IReadOnlyList<OrderRequest> Items, string Grouping) : ParsedAction;

    public sealed record Cancels(IReadOnlyList<CancelRequest> Items) : ParsedAction;

    public sealed record CancelsByCloid(IReadOnlyList<CancelByCloidRequest> Items) : ParsedAction;

    public sealed record ScheduleCancel(long? TimeMs) : ParsedAction;

    public sealed record UpdateLeverage(long Asset, bool IsCross, int Leverage) : ParsedAction;

    public sealed record Noop : ParsedAction;
}
