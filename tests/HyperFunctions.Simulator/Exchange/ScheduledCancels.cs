using HyperFunctions.Simulator.Market;

namespace HyperFunctions.Simulator.Exchange;

/// <summary>The dead man's switch: at the scheduled time every open order of the account is canceled (status scheduledCancel).</summary>
internal sealed class ScheduledCancels(ExchangeState state, Cancellation cancellation, IFeed feed)
{
    public const long MinimumLeadMs = 5_000;

    /// <summary>Sets or clears (null) the schedule; returns an error message or null.</summary>
    public string? Schedule(AccountState account, long? timeMs)
    {
        account.ScheduledCancelTimer?.Dispose();
        account.ScheduledCancelTimer = null;
        account.ScheduledCancelAtMs = null;
        if (timeMs is not { } at)
        {
            return null;
        }

        var now = state.Clock.NowMs;
        if (at < now + MinimumLeadMs)
        {
            return "Scheduled cancel time too early, must be at least 5 seconds after current time.";
        }

        account.ScheduledCancelAtMs = at;
        account.ScheduledCancelTimer = state.Clock.Provider.CreateTimer(
            _ => Fire(account, at),
            null,
            TimeSpan.FromMilliseconds(at - now),
            Timeout.InfiniteTimeSpan);
        return null;
    }

    private void Fire(AccountState account, long at)
    {
        lock (state.Gate)
        {
            if (account.ScheduledCancelAtMs != at)
            {
                return;
            }

            account.ScheduledCancelAtMs = null;
            account.ScheduledCancelTimer?.Dispose();
            account.ScheduledCancelTimer = null;
            var batch = new EventBatch();
            cancellation.CancelAll(account, OrderStatuses.ScheduledCancel, batch);
            feed.Publish(batch);
        }
    }
}
