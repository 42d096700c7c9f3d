using HyperFunctions.Dns;
using HyperFunctions.Dns.Providers;
using HyperFunctions.Dns.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HyperFunctions.Dns.Tests;

/// <summary>
/// The provider token comes only from the environment, and no text the library produces (results, exceptions, log records
/// down to Trace) ever holds it, whether it is accepted, refused or missing.
/// </summary>
public sealed class DnsSecretTests
{
    private const string WrongToken = "wrong-token-5b3e9a7c1d0f";

    public static TheoryData<string> TokenProviders => [DnsProviders.Cloudflare, DnsProviders.DigitalOcean];

    [Theory]
    [MemberData(nameof(TokenProviders))]
    public async Task A_refused_token_fails_the_switch_naming_the_variable_and_never_the_token(string provider)
    {
        await using var h = await DnsHarness.StartAsync();
        h.Environment[DnsHarness.TokenVariable] = WrongToken;
        h.Build(provider);
        using var switches = h.SwitchCounter();

        var result = await h.Switcher.SwitchAsync("backup", CancellationToken.None);

        Assert.Equal(DnsSwitchOutcome.Failed, result.Outcome);
        Assert.Contains($"refused the credentials from the environment variable {DnsHarness.TokenVariable}", result.Detail, StringComparison.Ordinal);
        Assert.Contains(provider == DnsProviders.Cloudflare ? "HTTP 403" : "HTTP 401", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongToken, result.ToString(), StringComparison.Ordinal);
        Assert.Equal("Bearer " + WrongToken, Assert.Single(h.Api.Requests).Authorization); // it was sent, once: a refusal is not retried
        Assert.Equal([DnsHarness.PrimaryAddress], h.Zone.Find(DnsHarness.RecordName, DnsRecordType.A)!.Contents);
        Assert.Equal("failed", Assert.Single(switches.GetMeasurementSnapshot()).Tags["outcome"]);
        AssertLogsHold(h, "refused the credentials");
        AssertNoLogHolds(h, WrongToken);
    }

    [Theory]
    [MemberData(nameof(TokenProviders))]
    public async Task An_accepted_token_appears_in_no_log_record_even_at_trace(string provider)
    {
        await using var h = (await DnsHarness.StartAsync()).Build(provider);

        var result = await h.Switcher.SwitchAsync("backup", CancellationToken.None);

        Assert.Equal(DnsSwitchOutcome.Switched, result.Outcome);
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Debug); // Trace/Debug records were collected
        AssertNoLogHolds(h, h.Api.ExpectedToken);
        Assert.DoesNotContain(h.Api.ExpectedToken, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_azure_token_fails_without_the_token_text()
    {
        await using var h = await DnsHarness.StartAsync();
        h.AzureCredential.Token = WrongToken;
        h.Build(DnsProviders.Azure);

        var result = await h.Switcher.SwitchAsync("backup", CancellationToken.None);

        Assert.Equal(DnsSwitchOutcome.Failed, result.Outcome);
        Assert.Contains("refused the credentials from the Azure credential", result.Detail, StringComparison.Ordinal);
        Assert.Contains("HTTP 401", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongToken, result.Detail, StringComparison.Ordinal);
        AssertNoLogHolds(h, WrongToken);
    }

    [Fact]
    public async Task A_token_missing_when_switching_fails_naming_the_variable_and_sends_nothing()
    {
        await using var h = (await DnsHarness.StartAsync()).Build(DnsProviders.Cloudflare);
        _ = h.Services.GetRequiredService<IOptions<DnsSwitchOptions>>().Value; // valid at start
        h.Environment.Remove(DnsHarness.TokenVariable); // then the variable disappears

        var result = await h.Switcher.SwitchAsync("backup", CancellationToken.None);

        Assert.Equal(DnsSwitchOutcome.Failed, result.Outcome);
        Assert.Equal($"The cloudflare API token is missing: set the environment variable {DnsHarness.TokenVariable} (Failover:Dns:TokenVariable names it).", result.Detail);
        Assert.Empty(h.Api.Requests);
    }

    [Fact]
    public async Task A_token_missing_at_start_fails_the_options_validation_naming_the_variable()
    {
        await using var h = await DnsHarness.StartAsync();
        h.Environment.Remove(DnsHarness.TokenVariable);
        h.Build(DnsProviders.DigitalOcean);

        var error = Assert.Throws<OptionsValidationException>(() => h.Services.GetRequiredService<IOptions<DnsSwitchOptions>>().Value);

        Assert.Contains($"Failover:Dns:TokenVariable names {DnsHarness.TokenVariable}, which is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Provider_text_echoing_the_token_is_blanked_before_it_reaches_a_message()
    {
        var refusal = DnsProviderHttp.Refused("cloudflare", "record lookup", System.Net.HttpStatusCode.Forbidden,
            "the token abc-123-secret is invalid", "abc-123-secret", "the environment variable HF_DNS_TOKEN");

        Assert.DoesNotContain("abc-123-secret", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("the token *** is invalid", refusal.Message, StringComparison.Ordinal);
        Assert.True(refusal.IsAuthenticationFailure);
    }

    private static void AssertNoLogHolds(DnsHarness h, string secret) =>
        Assert.DoesNotContain(h.AllLogText(), text => text.Contains(secret, StringComparison.Ordinal));

    private static void AssertLogsHold(DnsHarness h, string text) =>
        Assert.Contains(h.AllLogText(), t => t.Contains(text, StringComparison.Ordinal));
}
