using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using HyperFunctions.Configuration;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Functions.Functions.Alerts;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Alerts;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HyperFunctions.Functions.Tests.Alerts;

/// <summary>
/// The alert pipeline through the real app on Azurite, delivering to real local receivers: an HTTP listener for the
/// webhook, Slack and PagerDuty shapes and a small SMTP server.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AlertPipelineEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private const string SlackPath = "/slack/T000/B000/secret-part-of-the-url";
    private const string RoutingKey = "test-routing-key-0123";

    private HttpAlertReceiver _http = null!;
    private SmtpReceiver _smtp = null!;

    public async Task InitializeAsync()
    {
        _http = await HttpAlertReceiver.StartAsync();
        _smtp = new SmtpReceiver();
        // The deliveries queue is fixed by DeliverAlert's function.json: start each test with it empty.
        var queue = Queue(DeliverAlert.QueueName);
        await queue.CreateIfNotExistsAsync();
        await queue.ClearMessagesAsync();
    }

    public async Task DisposeAsync()
    {
        await _http.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    private QueueClient Queue(string name) => new(azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>Level 1 → webhook, 2 → Slack, 3 → email, 4 → PagerDuty and the webhook.</summary>
    private Dictionary<string, string?> Settings(bool runQueues = false) => new()
    {
        ["Alerts:Table"] = AzuriteFixture.UniqueName("Alerts"),
        ["Alerts:Channels:0:Name"] = "hook", ["Alerts:Channels:0:Kind"] = "webhook", ["Alerts:Channels:0:Url"] = _http.Url("/hook"), ["Alerts:Channels:0:Enabled"] = "true",
        ["Alerts:Channels:1:Name"] = "ops", ["Alerts:Channels:1:Kind"] = "slack", ["Alerts:Channels:1:SecretVariable"] = "HF_TEST_SLACK_URL", ["Alerts:Channels:1:Enabled"] = "true",
        ["HF_TEST_SLACK_URL"] = _http.Url(SlackPath),
        ["Alerts:Channels:2:Name"] = "mail", ["Alerts:Channels:2:Kind"] = "smtp", ["Alerts:Channels:2:Host"] = "127.0.0.1",
        ["Alerts:Channels:2:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Alerts:Channels:2:From"] = "hyperfunctions@test.local", ["Alerts:Channels:2:To:0"] = "risk-desk@test.local", ["Alerts:Channels:2:Enabled"] = "true",
        ["Alerts:Channels:3:Name"] = "pager", ["Alerts:Channels:3:Kind"] = "pagerduty", ["Alerts:Channels:3:Url"] = _http.Url("/pd/v2/enqueue"),
        ["Alerts:Channels:3:SecretVariable"] = "HF_TEST_PD_KEY", ["Alerts:Channels:3:Enabled"] = "true",
        ["HF_TEST_PD_KEY"] = RoutingKey,
        ["Alerts:Routes:1:0"] = "hook",
        ["Alerts:Routes:2:0"] = "ops",
        ["Alerts:Routes:3:0"] = "mail",
        ["Alerts:Routes:4:0"] = "pager", ["Alerts:Routes:4:1"] = "hook",
        ["Hosting:RunQueues"] = runQueues ? "true" : "false",
    };

    private static void FastRetries(IServiceCollection services) => services.AddSingleton(new HostJsonSettings(5, TimeSpan.Zero, TimeSpan.FromMilliseconds(200), 16));

    private static AlertSignal Signal(string key, AlertLevel level, bool active) =>
        new(key, level, active, $"Condition {key}", active ? "seen for 31 s" : "cleared", "HeartbeatCheck", new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    /// <summary>Runs every message now on the deliveries queue through DeliverAlert as the self-host listener does (retry or poison included).</summary>
    private static async Task<int> DrainOnceAsync(TestApp app)
    {
        var services = app.App.Services;
        var catalog = services.GetRequiredService<FunctionCatalog>();
        var definition = catalog.Find(nameof(DeliverAlert))!;
        var listener = ActivatorUtilities.CreateInstance<QueueListener>(services);
        var storage = services.GetRequiredService<StorageClients>();
        var queue = storage.Queues.GetQueueClient(definition.QueueName);
        var poison = storage.Queues.GetQueueClient(definition.QueueName + "-poison");
        var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value;
        foreach (var m in messages)
            await listener.HandleAsync(definition, catalog.Get<IQueueFunction>(definition.Name), queue, poison, m, CancellationToken.None);
        return messages.Length;
    }

    [Fact]
    public async Task Each_channel_kind_gets_its_level_and_the_recovery_through_the_self_host_queue_listener()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Settings(runQueues: true), services =>
        {
            FastRetries(services);
            services.AddLogging(b => b.AddFakeLogging().SetMinimumLevel(LogLevel.Trace)); // every log line, to look for secrets
        });
        var sink = app.App.Services.GetRequiredService<IAlertSink>();

        await sink.SignalAsync(Signal("check:ReconcileCheck:RECONCILE_DRIFT", AlertLevel.AutomatedRecovery, true), CancellationToken.None);
        await sink.SignalAsync(Signal("check:HeartbeatCheck:WS_HEARTBEAT_LOST", AlertLevel.Operations, true), CancellationToken.None);
        await sink.SignalAsync(Signal("check:FundingCheck:FUNDING_STALE", AlertLevel.Risk, true), CancellationToken.None);
        await sink.SignalAsync(Signal("check:ReconcileCheck:RECONCILE_CRITICAL", AlertLevel.EmergencyHalt, true), CancellationToken.None);

        // Webhook: level 1 and level 4.
        var hooks = await _http.WaitForAsync("/hook", 2, HangGuard);
        var hook1 = hooks.Single(h => (int)h.Body["level"]! == 1).Body;
        Assert.Equal(("check:ReconcileCheck:RECONCILE_DRIFT", "triggered", "TRIGGER", "automated-recovery"),
            ((string?)hook1["key"], (string?)hook1["status"], (string?)hook1["action"], (string?)hook1["levelName"]));
        Assert.Equal(("HeartbeatCheck", "default"), ((string?)hook1["source"], (string?)hook1["instance"]));
        Assert.NotNull((string?)hook1["at"]);
        Assert.Contains(hooks, h => (int)h.Body["level"]! == 4 && (string?)h.Body["key"] == "check:ReconcileCheck:RECONCILE_CRITICAL");

        // Slack: level 2, as {"text": ...}.
        var slack = Assert.Single(await _http.WaitForAsync(SlackPath, 1, HangGuard)).Body;
        var text = (string?)slack["text"];
        Assert.Contains("[L2 operations] TRIGGERED", text, StringComparison.Ordinal);
        Assert.Contains("check:HeartbeatCheck:WS_HEARTBEAT_LOST", text, StringComparison.Ordinal);

        // Email: level 3.
        var mail = Assert.Single(await _smtp.WaitForAsync(1, HangGuard));
        Assert.Equal(["risk-desk@test.local"], mail.To);
        Assert.Equal("hyperfunctions@test.local", mail.From);
        Assert.Contains("[L3 risk] TRIGGERED", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("check:FundingCheck:FUNDING_STALE", mail.Data, StringComparison.Ordinal);

        // PagerDuty: level 4 → critical, trigger with the key as dedup_key.
        var pd = Assert.Single(await _http.WaitForAsync("/pd/v2/enqueue", 1, HangGuard)).Body;
        Assert.Equal((RoutingKey, "trigger", "check:ReconcileCheck:RECONCILE_CRITICAL"), ((string?)pd["routing_key"], (string?)pd["event_action"], (string?)pd["dedup_key"]));
        Assert.Equal("critical", (string?)pd["payload"]!["severity"]);
        Assert.Equal("hyperfunctions/default", (string?)pd["payload"]!["source"]);
        Assert.NotNull((string?)pd["payload"]!["timestamp"]);
        Assert.Contains("[L4 emergency-halt]", (string?)pd["payload"]!["summary"], StringComparison.Ordinal);

        // Duplicates while open send nothing more.
        await sink.SignalAsync(Signal("check:ReconcileCheck:RECONCILE_CRITICAL", AlertLevel.EmergencyHalt, true), CancellationToken.None);

        // Recovery: each resolve reaches the same channels.
        await sink.SignalAsync(Signal("check:ReconcileCheck:RECONCILE_CRITICAL", AlertLevel.EmergencyHalt, false), CancellationToken.None);
        await sink.SignalAsync(Signal("check:HeartbeatCheck:WS_HEARTBEAT_LOST", AlertLevel.Operations, false), CancellationToken.None);
        await sink.SignalAsync(Signal("check:FundingCheck:FUNDING_STALE", AlertLevel.Risk, false), CancellationToken.None);

        var pds = await _http.WaitForAsync("/pd/v2/enqueue", 2, HangGuard);
        Assert.Equal(["trigger", "resolve"], pds.Select(p => (string?)p.Body["event_action"]));
        Assert.Equal("check:ReconcileCheck:RECONCILE_CRITICAL", (string?)pds[1].Body["dedup_key"]);
        Assert.Equal(RoutingKey, (string?)pds[1].Body["routing_key"]);
        var resolvedHook = (await _http.WaitForAsync("/hook", 3, HangGuard)).Single(h => (string?)h.Body["status"] == "resolved").Body;
        Assert.Equal(("check:ReconcileCheck:RECONCILE_CRITICAL", 4, "RESOLVE"), ((string?)resolvedHook["key"], (int)resolvedHook["level"]!, (string?)resolvedHook["action"]));
        Assert.Contains("RESOLVED", (string?)(await _http.WaitForAsync(SlackPath, 2, HangGuard))[1].Body["text"], StringComparison.Ordinal);
        Assert.Contains("[L3 risk] RESOLVED", (await _smtp.WaitForAsync(2, HangGuard))[1].Subject, StringComparison.Ordinal);

        // GET /api/alerts: one still open (level 1), three recent.
        var (status, json) = await app.SendAsync(HttpMethod.Get, "/api/alerts", TestApp.FunctionKey);
        Assert.Equal(200, status);
        Assert.Equal("check:ReconcileCheck:RECONCILE_DRIFT", (string?)Assert.Single(json!["open"]!.AsArray())!["key"]);
        Assert.Equal(3, json["recent"]!.AsArray().Count);

        // The Slack webhook URL and the PagerDuty routing key are secrets: in no log line, at any level.
        var logs = app.App.Services.GetFakeLogCollector().GetSnapshot();
        Assert.NotEmpty(logs);
        Assert.DoesNotContain(logs, r => $"{r.Message} {r.Exception}".Contains("secret-part", StringComparison.Ordinal)
            || $"{r.Message} {r.Exception}".Contains(RoutingKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_receiver_that_is_down_blocks_no_signal_the_delivery_is_retried_and_arrives_once_it_is_up()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Settings(), FastRetries);
        var sink = app.App.Services.GetRequiredService<IAlertSink>();
        _http.Mode = HttpAlertReceiver.Behaviour.Down;

        // The signal only records and enqueues: no request reaches the receiver while it runs.
        await sink.SignalAsync(Signal("check:HeartbeatCheck:WS_HEARTBEAT_LOST", AlertLevel.EmergencyHalt, true), CancellationToken.None);
        Assert.Equal(0, _http.Attempts);

        Assert.Equal(2, await DrainOnceAsync(app)); // pager and hook: both dropped by the receiver
        Assert.Equal(2, _http.Attempts);
        var status = app.App.Services.GetRequiredService<AlertsStatusSource>();
        await status.RefreshAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        var (_, statusJson) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        var alerts = statusJson!["alerts"]!;
        Assert.Equal(1, (int)alerts["open"]!);
        Assert.Equal(1, (int)alerts["openByLevel"]!["4"]!);
        var pagerView = alerts["channels"]!.AsArray().Single(c => (string?)c!["name"] == "pager")!;
        Assert.Equal("retrying", (string?)pagerView["lastOutcome"]);
        Assert.DoesNotContain(RoutingKey, statusJson.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-part", statusJson.ToJsonString(), StringComparison.Ordinal);

        _http.Mode = HttpAlertReceiver.Behaviour.Accept;
        Assert.Equal(2, await DrainOnceAsync(app)); // the same two messages, visible again
        Assert.Single(await _http.WaitForAsync("/pd/v2/enqueue", 1, HangGuard));
        Assert.Single(await _http.WaitForAsync("/hook", 1, HangGuard));
        Assert.Empty((await Queue(DeliverAlert.QueueName).PeekMessagesAsync(5)).Value);

        await status.RefreshAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        (_, statusJson) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Equal("delivered", (string?)statusJson!["alerts"]!["channels"]!.AsArray().Single(c => (string?)c!["name"] == "pager")!["lastOutcome"]);
    }

    [Fact]
    public async Task A_receiver_that_refuses_the_request_is_recorded_as_failed_and_not_retried()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Settings(), FastRetries);
        _http.Mode = HttpAlertReceiver.Behaviour.Refuse;
        await app.App.Services.GetRequiredService<IAlertSink>().SignalAsync(Signal("k:refused", AlertLevel.AutomatedRecovery, true), CancellationToken.None);

        Assert.Equal(1, await DrainOnceAsync(app));
        Assert.Empty((await Queue(DeliverAlert.QueueName).PeekMessagesAsync(5)).Value);
        var outcomes = await app.App.Services.GetRequiredService<AlertTableStore>().ReadOutcomesAsync(CancellationToken.None);
        var hook = Assert.Single(outcomes);
        Assert.Equal(("hook", "webhook", "failed"), (hook.Channel, hook.Kind, hook.Outcome));
        Assert.Contains("HTTP 400", hook.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_that_keeps_failing_moves_to_the_poison_queue_after_maxDequeueCount()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Settings(), FastRetries);
        var poison = Queue(DeliverAlert.QueueName + "-poison");
        await poison.CreateIfNotExistsAsync();
        await poison.ClearMessagesAsync();
        _http.Mode = HttpAlertReceiver.Behaviour.ServerError;
        await app.App.Services.GetRequiredService<IAlertSink>().SignalAsync(Signal("k:poison", AlertLevel.AutomatedRecovery, true), CancellationToken.None);

        for (var attempt = 1; attempt <= 5; attempt++) Assert.Equal(1, await DrainOnceAsync(app));
        Assert.Equal(5, _http.Attempts);
        var poisoned = Assert.Single((await poison.ReceiveMessagesAsync(5)).Value);
        Assert.Equal("k:poison", AlertDelivery.FromMessage(poisoned.Body.ToString()).Key);
        var hook = Assert.Single(await app.App.Services.GetRequiredService<AlertTableStore>().ReadOutcomesAsync(CancellationToken.None));
        Assert.Equal("failed", hook.Outcome); // the last attempt (Alerts:MaxDeliveryAttempts 5) records it as failed
    }

    [Fact]
    public async Task DeliverAlert_accepts_the_payload_the_Functions_host_builds_and_a_transient_failure_is_a_failed_invocation()
    {
        var settings = Settings();
        settings["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7071";
        settings["Api:AdminKey"] = null;
        settings["Api:FunctionKey"] = null;
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings);
        var sink = app.App.Services.GetRequiredService<IAlertSink>();
        await sink.SignalAsync(Signal("check:StalenessCheck:MARKET_DATA_STALE", AlertLevel.Operations, true), CancellationToken.None);
        var message = Assert.Single((await Queue(DeliverAlert.QueueName).ReceiveMessagesAsync(5)).Value);
        var text = message.Body.ToString();
        Assert.StartsWith("{\"delivery\":{", text, StringComparison.Ordinal); // one envelope property: nothing of it can shadow the host's metadata

        _http.Mode = HttpAlertReceiver.Behaviour.ServerError;
        var (failed, _) = await app.SendAsync(HttpMethod.Post, "/DeliverAlert", null, HostShapedPayloads.Queue("delivery", text, dequeueCount: 1));
        Assert.Equal(500, failed);

        _http.Mode = HttpAlertReceiver.Behaviour.Accept;
        var (ok, json) = await app.SendAsync(HttpMethod.Post, "/DeliverAlert", null, HostShapedPayloads.Queue("delivery", text, dequeueCount: 2));
        Assert.Equal(200, ok);
        Assert.Contains("delivered", (string?)json!["ReturnValue"], StringComparison.Ordinal);
        var slack = Assert.Single(await _http.WaitForAsync(SlackPath, 1, HangGuard));
        Assert.Contains("MARKET_DATA_STALE", (string?)slack.Body["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transition_into_HALT_alerts_at_level_4_and_leaving_HALT_resolves_it()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Settings(runQueues: true), FastRetries);
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/halt", TestApp.AdminKey, """{"message":"desk call"}""")).Status);
        var trigger = Assert.Single(await _http.WaitForAsync("/pd/v2/enqueue", 1, HangGuard)).Body;
        Assert.Equal(("trigger", "ledger:halt", "critical"), ((string?)trigger["event_action"], (string?)trigger["dedup_key"], (string?)trigger["payload"]!["severity"]));

        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/reset", TestApp.AdminKey, """{"mode":"ARMED_SAFE","message":"all clear"}""")).Status);
        var pds = await _http.WaitForAsync("/pd/v2/enqueue", 2, HangGuard);
        Assert.Equal(("resolve", "ledger:halt"), ((string?)pds[1].Body["event_action"], (string?)pds[1].Body["dedup_key"]));
    }

    [Fact]
    public async Task The_shipped_settings_deliver_every_level_to_the_simulators_alert_inbox()
    {
        await using var sim = await Simulator.HyperliquidSimulator.StartAsync(new Simulator.SimulatorOptions { MarketTickInterval = TimeSpan.Zero });
        // Only the URL differs from hyperfunctions.json: run-local.sh sets it to the simulator it started.
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Alerts:Table"] = AzuriteFixture.UniqueName("Alerts"),
            ["Alerts:Channels:0:Enabled"] = "true",
            ["Alerts:Channels:0:Url"] = new Uri(sim.RestUrl, "_sim/alerts").ToString(),
            ["Hosting:RunQueues"] = "true",
        }, FastRetries);
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/halt", TestApp.AdminKey, """{"message":"local run"}""")).Status);
        using var guard = new CancellationTokenSource(HangGuard);
        await sim.WaitUntilAsync(() => sim.Alerts.Items.Count >= 1, guard.Token);
        var body = sim.Alerts.Items[0]["body"]!;
        Assert.Equal(("ledger:halt", 4, "triggered"), ((string?)body["key"], (int)body["level"]!, (string?)body["status"]));
    }

    [Fact]
    public async Task GET_alerts_refuses_a_bad_query_naming_the_field()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Settings());
        var (status, json) = await app.SendAsync(HttpMethod.Get, "/api/alerts?state=closed&limit=0", TestApp.FunctionKey);
        Assert.Equal(400, status);
        Assert.NotNull(json!["errors"]!["state"]);
        Assert.NotNull(json["errors"]!["limit"]);
        Assert.Equal(400, (await app.SendAsync(HttpMethod.Get, "/api/alerts?limit=1&limit=2", TestApp.FunctionKey)).Status);
        Assert.Equal(401, (await app.SendAsync(HttpMethod.Get, "/api/alerts", null)).Status);

        var (ok, open) = await app.SendAsync(HttpMethod.Get, "/api/alerts?state=open&limit=10", TestApp.FunctionKey);
        Assert.Equal(200, ok);
        Assert.NotNull(open!["open"]);
        Assert.Null(open["recent"]);
    }

    [Fact]
    public async Task A_misconfigured_channel_fails_start_naming_the_setting()
    {
        var unknown = Settings();
        unknown["Alerts:Channels:0:Kind"] = "carrier-pigeon";
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => TestApp.BuildAsync(azurite.ConnectionString, unknown));
        Assert.Contains(ex.Errors, e => e.Contains("Alerts:Channels:0:Kind 'carrier-pigeon'", StringComparison.Ordinal));

        var badUrl = Settings();
        badUrl["Alerts:Channels:0:Url"] = "ftp://nowhere";
        ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => TestApp.BuildAsync(azurite.ConnectionString, badUrl));
        Assert.Contains("Alerts:Channels:0:Url 'ftp://nowhere' is not an absolute http(s) URL.", ex.Errors);
    }

    [Fact]
    public void The_queue_the_pipeline_writes_is_the_one_DeliverAlert_is_triggered_by()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, nameof(DeliverAlert), "function.json"));
        Assert.Equal(DeliverAlert.QueueName, FunctionJsonReader.Parse(nameof(DeliverAlert), json).QueueName);
    }

}
