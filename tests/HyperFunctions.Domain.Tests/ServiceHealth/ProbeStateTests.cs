using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Domain.ServiceHealth;

namespace HyperFunctions.Domain.Tests.ServiceHealth;

public sealed class ProbeStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ProbeSpec Spec(string name = "venue", bool critical = true, int threshold = 3) =>
        new(name, ProbeKind.Http, critical, threshold, ProbeSpec.DefaultInterval, ProbeSpec.DefaultTimeout, "GET http://127.0.0.1:1/");

    private static ProbeOutcome Ok(int second) => ProbeOutcome.Success(T0.AddSeconds(second), TimeSpan.FromMilliseconds(12));

    private static ProbeOutcome Fail(int second, string error = "HTTP 503 (expected 200)") => ProbeOutcome.Failure(T0.AddSeconds(second), TimeSpan.FromMilliseconds(40), error);

    [Fact]
    public void A_new_probe_is_pending_and_counts_as_healthy()
    {
        var state = ProbeState.Initial(Spec());
        Assert.True(state.Healthy);
        Assert.Equal(ProbeStatus.Pending, state.Status);
        Assert.Null(state.LastCheckedAt);
        Assert.Equal(0, state.ConsecutiveFailures);
    }

    [Fact]
    public void Unhealthy_only_after_the_threshold_of_consecutive_failures_and_healthy_again_after_one_success()
    {
        var s = ProbeState.Initial(Spec(threshold: 3)).Record(Ok(0));
        Assert.Equal(ProbeStatus.Healthy, s.Status);
        Assert.Equal(T0, s.LastSuccess);

        s = s.Record(Fail(10));
        Assert.True(s.Healthy);
        Assert.Equal(ProbeStatus.Failing, s.Status);
        s = s.Record(Fail(20));
        Assert.True(s.Healthy);
        Assert.Equal(2, s.ConsecutiveFailures);

        var before = s;
        s = s.Record(Fail(30, "timed out after 5 s"));
        Assert.False(s.Healthy);
        Assert.True(before.FlippedTo(s));
        Assert.Equal(ProbeStatus.Unhealthy, s.Status);
        Assert.Equal(3, s.ConsecutiveFailures);
        Assert.Equal("timed out after 5 s", s.LastError);
        Assert.Equal(T0.AddSeconds(30), s.UnhealthySince);
        Assert.Equal(T0, s.LastSuccess); // the last success survives failures

        s = s.Record(Fail(40));
        Assert.Equal(T0.AddSeconds(30), s.UnhealthySince); // since the flip, not the latest failure

        before = s;
        s = s.Record(Ok(50));
        Assert.True(s.Healthy);
        Assert.True(before.FlippedTo(s));
        Assert.Equal(0, s.ConsecutiveFailures);
        Assert.Null(s.UnhealthySince);
        Assert.Equal(T0.AddSeconds(50), s.LastSuccess);
        Assert.Equal("HTTP 503 (expected 200)", s.LastError); // kept for the record, with its time
        Assert.Equal(T0.AddSeconds(40), s.LastErrorAt);
        Assert.Equal(TimeSpan.FromMilliseconds(12), s.LastDuration);
        Assert.Equal(6, s.Runs);
    }

    [Fact]
    public void A_success_between_failures_restarts_the_count()
    {
        var s = ProbeState.Initial(Spec(threshold: 3)).Record(Fail(0)).Record(Fail(10)).Record(Ok(20)).Record(Fail(30)).Record(Fail(40));
        Assert.True(s.Healthy);
        Assert.Equal(2, s.ConsecutiveFailures);
    }

    [Fact]
    public void Threshold_one_flips_on_the_first_failure()
    {
        var s = ProbeState.Initial(Spec(threshold: 1)).Record(Fail(0));
        Assert.False(s.Healthy);
        Assert.Equal(ProbeStatus.Unhealthy, s.Status);
    }

    [Fact]
    public void Report_grades_the_worst_critical_unhealthy_degraded_otherwise()
    {
        var critical = ProbeState.Initial(Spec("a-critical", critical: true, threshold: 1));
        var optional = ProbeState.Initial(Spec("b-optional", critical: false, threshold: 1));
        var pending = ProbeState.Initial(Spec("c-pending", critical: true));

        var all = ServiceHealthReport.From([critical.Record(Ok(0)), optional.Record(Ok(0)), pending]);
        Assert.Equal(CheckHealth.Healthy, all.Status);
        Assert.True(all.Healthy);
        Assert.Equal((3, 3, 1), (all.HealthyCount, all.Total, all.Pending));

        var degraded = ServiceHealthReport.From([critical.Record(Ok(0)), optional.Record(Fail(0)), pending]);
        Assert.Equal(CheckHealth.Degraded, degraded.Status);
        Assert.True(degraded.Healthy);
        Assert.Equal(2, degraded.HealthyCount);
        Assert.Empty(degraded.UnhealthyCritical);

        var unhealthy = ServiceHealthReport.From([critical.Record(Fail(0)), optional.Record(Fail(0)), pending]);
        Assert.Equal(CheckHealth.Unhealthy, unhealthy.Status);
        Assert.False(unhealthy.Healthy);
        Assert.Equal(["a-critical"], unhealthy.UnhealthyCritical.Select(p => p.Name));
        Assert.Equal(1, unhealthy.HealthyCount);

        var none = ServiceHealthReport.From([]);
        Assert.Equal((CheckHealth.Healthy, 0, 0), (none.Status, none.HealthyCount, none.Total));
    }

    [Fact]
    public void Report_names_the_unhealthy_critical_probes_of_a_site()
    {
        var primary = ProbeState.Initial(Spec("p", threshold: 1) with { Site = "primary" }).Record(Fail(0));
        var backup = ProbeState.Initial(Spec("b", threshold: 1) with { Site = "backup" }).Record(Fail(0));
        var report = ServiceHealthReport.From([primary, backup]);
        Assert.Equal(["p"], report.UnhealthyCriticalOf("PRIMARY").Select(p => p.Name));
        Assert.Empty(report.UnhealthyCriticalOf(null));
    }

    [Fact]
    public void Verdict_has_no_ledger_condition_and_one_level_2_notice_per_unhealthy_probe()
    {
        var down = ProbeState.Initial(Spec("venue", threshold: 1)).Record(Fail(0));
        var up = ProbeState.Initial(Spec("table", threshold: 1)).Record(Ok(0));
        var verdict = ServiceHealthRule.Evaluate("ServiceHealthCheck", ServiceHealthReport.From([down, up]));

        Assert.Equal(CheckHealth.Unhealthy, verdict.Health);
        Assert.Empty(verdict.Conditions);
        var active = Assert.Single(verdict.Notices, n => n.Active);
        Assert.Equal("probe:venue", active.Key);
        Assert.Equal(AlertLevel.Operations, active.Level);
        Assert.Contains("HTTP 503", active.Detail, StringComparison.Ordinal);
        Assert.Contains(verdict.Notices, n => n.Key == "probe:table" && !n.Active);
        Assert.Equal("venue", verdict.Data["unhealthyCritical"]);
        Assert.Equal("1", verdict.Data["healthyCount"]);
        Assert.Contains("1/2 probes healthy", verdict.Summary, StringComparison.Ordinal);

        // Through the publisher's plan: an alert while down, resolved when healthy again; never a ledger command.
        var plan = VerdictPlan.For(verdict, null, null, T0);
        Assert.Empty(plan.Commands);
        var alert = Assert.Single(plan.Alerts);
        Assert.True(alert.Active);
        Assert.Equal("check:ServiceHealthCheck:probe:venue", alert.Key);
        var previous = CheckResult.Next(null, verdict, T0, "timer", TimeSpan.Zero, "p1");
        var recovered = ServiceHealthRule.Evaluate("ServiceHealthCheck", ServiceHealthReport.From([down.Record(Ok(10)), up]));
        Assert.Equal(CheckHealth.Healthy, recovered.Health);
        var resolved = Assert.Single(VerdictPlan.For(recovered, previous, null, T0.AddSeconds(10)).Alerts);
        Assert.False(resolved.Active);
        Assert.Equal("check:ServiceHealthCheck:probe:venue", resolved.Key);
    }

    [Theory]
    [InlineData("GET https://user:pa55@host.example:8443/path?code=SECRET#frag failed", "GET https://host.example:8443/path?… failed")]
    [InlineData("Connection refused (127.0.0.1:7071)", "Connection refused (127.0.0.1:7071)")]
    [InlineData("see http://10.0.0.1/health?key=abc.", "see http://10.0.0.1/health?….")]
    [InlineData("line one\nline two", "line one line two")]
    public void Shown_text_loses_user_info_and_query_strings(string raw, string shown)
    {
        Assert.Equal(shown, ProbeText.Scrub(raw));
        Assert.DoesNotContain("SECRET", ProbeText.Scrub(raw), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http", ProbeKind.Http)]
    [InlineData("TCP", ProbeKind.Tcp)]
    [InlineData(" table ", ProbeKind.Table)]
    [InlineData("Process", ProbeKind.Process)]
    public void Probe_types_parse_case_insensitively(string name, ProbeKind kind)
    {
        Assert.True(ProbeKinds.TryParse(name, out var parsed));
        Assert.Equal(kind, parsed);
        Assert.False(ProbeKinds.TryParse("ftp", out _));
    }
}
