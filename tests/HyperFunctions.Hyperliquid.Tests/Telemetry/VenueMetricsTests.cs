using HyperFunctions.Hyperliquid.Socket;
using HyperFunctions.Hyperliquid.Telemetry;

namespace HyperFunctions.Hyperliquid.Tests.Telemetry;

public sealed class VenueMetricsTests
{
    [Theory]
    [InlineData("info:L2Book", "info:L2Book")]
    [InlineData("exchange:order", "exchange:order")]
    [InlineData("exchange:batchModify", "exchange:batchModify")]
    [InlineData("exchange:", "exchange:other")]
    [InlineData("exchange:not a word", "exchange:other")]
    [InlineData("exchange:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "exchange:other")]
    public void Request_kinds_stay_bounded(string kind, string label) => Assert.Equal(label, VenueMetricsHandler.Bounded(kind));

    [Fact]
    public void Every_disconnect_kind_has_its_own_snake_case_label()
    {
        var labels = Enum.GetValues<DisconnectKind>().Select(HyperliquidMetrics.DisconnectKindName).ToList();
        Assert.Equal(labels.Count, labels.Distinct().Count());
        Assert.DoesNotContain("other", labels);
        Assert.All(labels, l => Assert.Matches("^[a-z_]+$", l));
    }
}
