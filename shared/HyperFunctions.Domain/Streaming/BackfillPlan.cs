namespace HyperFunctions.Domain.Streaming;

/// <summary>What the keeper does on start for one account, given its durable cursor (see <see cref="BackfillPlanner"/>).</summary>
public abstract record BackfillPlan
{
    private BackfillPlan() { }

    /// <summary>No cursor yet: this is the first start for the account; the cursor begins now.</summary>
    public sealed record Fresh(DateTimeOffset Now) : BackfillPlan;

    /// <summary>Fetch fills from <paramref name="From"/> (the cursor's time, inclusive) to <paramref name="To"/> and apply them before live events.</summary>
    public sealed record Backfill(DateTimeOffset From, DateTimeOffset To) : BackfillPlan;

    /// <summary>The gap is beyond the window: HALT BACKFILL_WINDOW_EXCEEDED and leave the cursor where it is.</summary>
    public sealed record Exceeded(DateTimeOffset From, DateTimeOffset To, TimeSpan Window) : BackfillPlan;

    /// <summary>The gap is beyond the window and a maintenance skip is configured: move the cursor to <paramref name="To"/> and record the span.</summary>
    public sealed record Skip(DateTimeOffset From, DateTimeOffset To) : BackfillPlan;
}

/// <summary>Pure: compares a cursor with now and the backfill window.</summary>
public static class BackfillPlanner
{
    public static BackfillPlan Plan(DateTimeOffset? cursorTime, DateTimeOffset now, TimeSpan window, bool maintenanceSkip)
    {
        if (cursorTime is not { } from) return new BackfillPlan.Fresh(now);
        if (from > now) from = now; // a cursor from a clock ahead of ours: nothing is missing
        if (now - from <= window) return new BackfillPlan.Backfill(from, now);
        return maintenanceSkip ? new BackfillPlan.Skip(from, now) : new BackfillPlan.Exceeded(from, now, window);
    }
}
