using HyperFunctions.Domain.Execution;

namespace HyperFunctions.Domain.Tests.Execution;

public sealed class VenueOrderStatusTests
{
    [Theory]
    [InlineData("open", OrderStatus.Resting)]
    [InlineData("filled", OrderStatus.Filled)]
    [InlineData("canceled", OrderStatus.Canceled)]
    [InlineData("scheduledCancel", OrderStatus.Canceled)]
    [InlineData("marginCanceled", OrderStatus.Canceled)]
    [InlineData("reduceOnlyCanceled", OrderStatus.Canceled)]
    [InlineData("selfTradeCanceled", OrderStatus.Canceled)]
    [InlineData("liquidatedCanceled", OrderStatus.Canceled)]
    [InlineData("rejected", OrderStatus.Rejected)]
    [InlineData("minTradeNtlRejected", OrderStatus.Rejected)]
    [InlineData("iocCancelRejected", OrderStatus.Rejected)]
    [InlineData("triggered", OrderStatus.Accepted)]
    [InlineData("somethingNew", OrderStatus.Accepted)]
    [InlineData("", OrderStatus.Accepted)]
    [InlineData(null, OrderStatus.Accepted)]
    public void Each_venue_status_is_read_as_the_intent_result_it_means(string? venue, OrderStatus expected) =>
        Assert.Equal(expected, VenueOrderStatus.Classify(venue));

    [Fact]
    public void Only_RESTING_and_ACCEPTED_may_still_rest_at_the_venue()
    {
        var resting = Enum.GetValues<OrderStatus>().Where(s => s.MayRestAtVenue()).ToArray();
        Assert.Equal([OrderStatus.Accepted, OrderStatus.Resting], resting);
        Assert.All(resting, s => Assert.True(s.IsTerminal())); // the executor never acts on them again: only the refresh does
    }
}
