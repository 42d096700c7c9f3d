using HyperFunctions.Hyperliquid.Policies;

namespace HyperFunctions.Hyperliquid.Tests.Policies;

public sealed class ConsecutiveFailureBreakerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Opens_after_threshold_consecutive_failures_and_half_opens_after_cool_off()
    {
        var breaker = new ConsecutiveFailureBreaker(3, TimeSpan.FromSeconds(30));

        Assert.False(breaker.RecordFailure(T0));
        Assert.False(breaker.RecordFailure(T0));
        Assert.True(breaker.RecordFailure(T0));
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.False(breaker.TryAllow(T0.AddSeconds(29)));
        Assert.Equal(TimeSpan.FromSeconds(1), breaker.RemainingCoolOff(T0.AddSeconds(29)));
        Assert.True(breaker.TryAllow(T0.AddSeconds(30)));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
    }

    [Fact]
    public void A_failed_trial_reopens_and_a_success_closes()
    {
        var breaker = new ConsecutiveFailureBreaker(1, TimeSpan.FromSeconds(10));
        breaker.RecordFailure(T0);
        Assert.True(breaker.TryAllow(T0.AddSeconds(10)));

        Assert.True(breaker.RecordFailure(T0.AddSeconds(11)));
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(2, breaker.TimesOpened);
        Assert.False(breaker.TryAllow(T0.AddSeconds(20)));

        Assert.True(breaker.TryAllow(T0.AddSeconds(21)));
        breaker.RecordSuccess();
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(0, breaker.ConsecutiveFailures);
    }

    [Fact]
    public void A_success_resets_the_count()
    {
        var breaker = new ConsecutiveFailureBreaker(2, TimeSpan.FromSeconds(10));
        breaker.RecordFailure(T0);
        breaker.RecordSuccess();
        Assert.False(breaker.RecordFailure(T0));
        Assert.Equal(CircuitState.Closed, breaker.State);
    }
}
