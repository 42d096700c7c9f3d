using HyperFunctions.Configuration;
using Microsoft.Extensions.Configuration;

namespace HyperFunctions.Domain.Tests.Configuration;

public sealed class AlertSettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hf-alert-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<LoadedConfiguration> Load(string json, IDictionary<string, string?>? env = null)
    {
        var file = Path.Combine(_dir, "settings.json");
        await File.WriteAllTextAsync(file, json);
        var values = new Dictionary<string, string?> { ["Api:AdminKey"] = "admin-key-0123456789abcdef", ["Api:FunctionKey"] = "function-key-0123456789abcdef" };
        foreach (var kv in env ?? new Dictionary<string, string?>()) values[kv.Key] = kv.Value;
        var configuration = new ConfigurationBuilder().AddJsonFile(file).AddInMemoryCollection(values).Build();
        return await ConfigurationLoader.LoadAsync(configuration, file, requireApiKeys: true);
    }

    private async Task<IReadOnlyList<string>> Errors(string json, IDictionary<string, string?>? env = null) =>
        (await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(json, env))).Errors;

    [Fact]
    public async Task A_full_section_loads_and_each_secret_comes_from_the_variable_its_channel_names()
    {
        var loaded = await Load("""
            {"Alerts":{"Channels":[
              {"Name":"hook","Kind":"webhook","Url":"http://127.0.0.1:9/hook"},
              {"Name":"ops","Kind":"slack","SecretVariable":"HF_ALERT_SLACK_URL"},
              {"Name":"pager","Kind":"pagerduty","SecretVariable":"HF_ALERT_PD_KEY"},
              {"Name":"mail","Kind":"smtp","Host":"127.0.0.1","Port":2525,"From":"hf@example.org","To":["ops@example.org"]}],
             "Routes":{"1":["hook"],"2":["hook","ops"],"3":["ops","mail"],"4":["pager","mail"]},
             "ThrottleSeconds":60,"EscalateAfterSeconds":120}}
            """, new Dictionary<string, string?> { ["HF_ALERT_SLACK_URL"] = "https://hooks.slack.example/T/B/x", ["HF_ALERT_PD_KEY"] = "R0UTINGKEY" });
        Assert.Equal(4, loaded.Settings.Alerts.Channels!.Count);
        Assert.Equal("https://hooks.slack.example/T/B/x", loaded.Secrets.AlertSecrets["ops"]);
        Assert.Equal("R0UTINGKEY", loaded.Secrets.AlertSecrets["pager"]);
        Assert.DoesNotContain("R0UTINGKEY", loaded.Secrets.ToString(), StringComparison.Ordinal);
        Assert.Equal(60, loaded.Settings.Alerts.ThrottleSeconds);
    }

    [Fact]
    public async Task Defaults_are_five_minutes_for_throttle_and_escalation()
    {
        var loaded = await Load("{}");
        Assert.Equal(300, loaded.Settings.Alerts.ThrottleSeconds);
        Assert.Equal(300, loaded.Settings.Alerts.EscalateAfterSeconds);
        Assert.Null(loaded.Settings.Alerts.Channels);
    }

    [Fact]
    public async Task An_unknown_kind_is_named()
    {
        var errors = await Errors("""{"Alerts":{"Channels":[{"Name":"x","Kind":"carrier-pigeon"}]}}""");
        Assert.Contains(errors, e => e.Contains("Alerts:Channels:0:Kind 'carrier-pigeon' is not one of", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_url_is_named()
    {
        var errors = await Errors("""{"Alerts":{"Channels":[{"Name":"x","Kind":"webhook","Url":"not a url"}]}}""");
        Assert.Contains("Alerts:Channels:0:Url 'not a url' is not an absolute http(s) URL.", errors);
    }

    [Fact]
    public async Task A_route_to_an_unknown_channel_is_named()
    {
        var errors = await Errors("""{"Alerts":{"Channels":[{"Name":"x","Kind":"webhook","Url":"http://h/"}],"Routes":{"2":["x","y"]}}}""");
        Assert.Contains("Alerts:Routes:2:1 names channel 'y', which is not in Alerts:Channels.", errors);
    }

    [Fact]
    public async Task A_missing_secret_is_a_start_error_in_live_mode_naming_the_variable_and_never_the_value()
    {
        const string json = """
            {"Deployment":{"Mode":"Live"},"Alerts":{"Channels":[{"Name":"ops","Kind":"slack","SecretVariable":"HF_ALERT_SLACK_URL"}]}}
            """;
        var live = new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" };
        var errors = await Errors(json, live);
        Assert.Contains(errors, e => e.Contains("Alerts:Channels:0", StringComparison.Ordinal) && e.Contains("HF_ALERT_SLACK_URL", StringComparison.Ordinal) && e.Contains("not set", StringComparison.Ordinal));

        live["HF_ALERT_SLACK_URL"] = "hooks.slack.example/secret-part";
        errors = await Errors(json, live);
        Assert.True(errors.Any(e => e.Contains("HF_ALERT_SLACK_URL", StringComparison.Ordinal) && e.Contains("does not hold an absolute http(s) URL", StringComparison.Ordinal)), string.Join("\n", errors));
        Assert.DoesNotContain(errors, e => e.Contains("secret-part", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_secret_in_local_mode_loads_without_that_secret()
    {
        var loaded = await Load("""{"Alerts":{"Channels":[{"Name":"ops","Kind":"slack","SecretVariable":"HF_ALERT_SLACK_URL_UNSET"}]}}""");
        Assert.False(loaded.Secrets.AlertSecrets.ContainsKey("ops"));
    }

    [Fact]
    public async Task Smtp_needs_host_sender_and_recipients_and_a_slack_url_in_the_file_is_refused()
    {
        var errors = await Errors("""
            {"Alerts":{"Channels":[{"Name":"mail","Kind":"smtp","From":"nobody","To":[]},
                                   {"Name":"ops","Kind":"slack","Url":"https://hooks.slack.example/x"}]}}
            """);
        Assert.Contains("Alerts:Channels:0:Host is required for an smtp channel.", errors);
        Assert.Contains("Alerts:Channels:0:From 'nobody' is not a mail address.", errors);
        Assert.Contains("Alerts:Channels:0:To needs at least one recipient.", errors);
        Assert.Contains(errors, e => e.StartsWith("Alerts:Channels:1:Url must not be set for a slack channel", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Alerts:Channels:1:SecretVariable is required", StringComparison.Ordinal));
    }
}
