using HyperFunctions.Hyperliquid.Policies;

namespace HyperFunctions.Hyperliquid.Tests.Policies;

public sealed class GapTrackerTests
{
    [Fact]
    public void Time_streams_report_gaps_above_threshold_and_steps_back()
    {
        var tracker = new GapTracker(TimeSpan.FromSeconds(5));

        Assert.Equal(GapKind.First, tracker.ObserveTime("l2Book:BTC", 1_000));
        Assert.Equal(GapKind.None, tracker.ObserveTime("l2Book:BTC", 2_000));
        Assert.Equal(GapKind.TimeGap, tracker.ObserveTime("l2Book:BTC", 9_000));
        Assert.Equal(GapKind.OutOfOrder, tracker.ObserveTime("l2Book:BTC", 8_000));
        Assert.Equal(GapKind.First, tracker.ObserveTime("l2Book:ETH", 8_000));

        var btc = tracker.Snapshot().Single(s => s.Stream == "l2Book:BTC");
        Assert.Equal(4, btc.Messages);
        Assert.Equal(1, btc.Gaps);
        Assert.Equal(1, btc.OutOfOrder);
        Assert.Equal(TimeSpan.FromSeconds(7), btc.LargestGap);
        Assert.Equal(9_000, btc.LastTime);
    }

    [Fact]
    public void Trade_streams_report_repeated_tids_and_older_batches()
    {
        var tracker = new GapTracker(TimeSpan.FromSeconds(5));

        Assert.Equal(GapKind.First, tracker.ObserveTrades("trades:BTC", [11, 7], 1_000));
        Assert.Equal(GapKind.None, tracker.ObserveTrades("trades:BTC", [3], 60_000)); // tids are ids, not a sequence; sparse trades are no gap
        Assert.Equal(GapKind.Duplicate, tracker.ObserveTrades("trades:BTC", [7, 12], 61_000));
        Assert.Equal(GapKind.OutOfOrder, tracker.ObserveTrades("trades:BTC", [13], 50_000));

        var s = tracker.Snapshot().Single();
        Assert.Equal(1, s.Duplicates);
        Assert.Equal(1, s.OutOfOrder);
        Assert.Equal(0, s.Gaps);
    }
}
