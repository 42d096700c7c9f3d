using HyperFunctions.Configuration;
using HyperFunctions.Domain.Safety;
using Microsoft.Extensions.Configuration;

namespace HyperFunctions.Domain.Tests.Configuration;

public sealed class ConfigurationLoaderTests : IDisposable
{
    private const string AdminKey = "admin-key-0123456789abcdef";
    private const string FunctionKey = "function-key-0123456789abcdef";
    private readonly string _dir = Directory.CreateTempSubdirectory("hf-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string json)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    private static Task<LoadedConfiguration> Load(string? file, IDictionary<string, string?>? env = null, bool requireKeys = true)
    {
        var builder = new ConfigurationBuilder();
        if (file is not null) builder.AddJsonFile(file, optional: false);
        var values = new Dictionary<string, string?> { ["Api:AdminKey"] = AdminKey, ["Api:FunctionKey"] = FunctionKey };
        foreach (var kv in env ?? new Dictionary<string, string?>()) values[kv.Key] = kv.Value;
        builder.AddInMemoryCollection(values); // stands in for environment variables: same keys after Section__Key → Section:Key
        return ConfigurationLoader.LoadAsync(builder.Build(), file, requireKeys);
    }

    [Fact]
    public async Task Hash_ignores_key_order_and_whitespace_but_not_values()
    {
        var a = Write("a.json", """{"Safety":{"StartMode":"HALT"},"Storage":{"ProbeIntervalSeconds":7}}""");
        var b = Write("b.json", "{\n  \"Storage\" : { \"ProbeIntervalSeconds\" : 7 },\n\n  \"Safety\": {\"StartMode\": \"HALT\"}\n}\n");
        var c = Write("c.json", """{"Safety":{"StartMode":"HALT"},"Storage":{"ProbeIntervalSeconds":8}}""");
        var hashA = (await Load(a)).ConfigHash;
        Assert.StartsWith("sha256:", hashA, StringComparison.Ordinal);
        Assert.Equal(hashA, (await Load(b)).ConfigHash);
        Assert.NotEqual(hashA, (await Load(c)).ConfigHash);
    }

    [Fact]
    public async Task The_processs_own_failover_site_does_not_change_the_hash_but_the_sites_do()
    {
        var file = Path.Combine(RepositoryRootPath(), "hyperfunctions.json");
        var env = new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" };
        var primary = await Load(file, new Dictionary<string, string?>(env) { ["Failover:Site"] = "primary" });
        var backup = await Load(file, new Dictionary<string, string?>(env) { ["Failover:Site"] = "backup" });
        var otherCap = await Load(file, new Dictionary<string, string?>(env) { ["Failover:Site"] = "backup", ["Failover:DailyCap"] = "4" });
        Assert.Equal("backup", backup.Settings.Failover.Site);
        Assert.Equal(primary.ConfigHash, backup.ConfigHash);
        Assert.NotEqual(backup.ConfigHash, otherCap.ConfigHash);
    }

    [Fact]
    public async Task The_Failover_Dns_section_is_in_the_hash_though_the_settings_class_does_not_carry_it()
    {
        var file = Path.Combine(RepositoryRootPath(), "hyperfunctions.json");
        var dns = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Failover:Dns:Provider"] = "cloudflare",
            ["Failover:Dns:TokenVariable"] = "HF_DNS_TOKEN",
            ["Failover:Dns:Zone"] = "023e105f4ecef8ad9ca31a8372d0c353",
            ["Failover:Dns:RecordName"] = "trade.example.com",
            ["Failover:Dns:Sites:primary"] = "203.0.113.10",
            ["Failover:Dns:Sites:backup"] = "198.51.100.20",
        };
        var without = await Load(file, new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" });
        var with = await Load(file, dns);
        var again = await Load(file, new Dictionary<string, string?>(dns));
        var otherAddress = await Load(file, new Dictionary<string, string?>(dns) { ["Failover:Dns:Sites:backup"] = "198.51.100.21" });
        Assert.NotEqual(without.ConfigHash, with.ConfigHash);
        Assert.Equal(with.ConfigHash, again.ConfigHash);
        Assert.NotEqual(with.ConfigHash, otherAddress.ConfigHash);
    }

    [Fact]
    public async Task Secrets_do_not_change_the_hash()
    {
        var file = Write("s.json", "{}");
        var one = await Load(file, new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" });
        var two = await Load(file, new Dictionary<string, string?> { ["Storage:ConnectionString"] = "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=eA==" });
        Assert.Equal(one.ConfigHash, two.ConfigHash);
        Assert.DoesNotContain("UseDevelopmentStorage", one.Secrets.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_in_the_file_is_rejected_naming_the_variable_to_use()
    {
        var file = Write("bad.json", """{"Api":{"AdminKey":"0123456789abcdef0123"}}""");
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(file));
        Assert.Contains(ex.Errors, e => e.Contains("Api__AdminKey", StringComparison.Ordinal) && e.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_keys_and_bad_values_are_named()
    {
        var file = Write("bad.json", """{"Safety":{"StartMode":"SIDEWAYS","Typo":1},"Storage":{"ProbeIntervalSeconds":0}}""");
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(file));
        Assert.Contains(ex.Errors, e => e.Contains("'Safety.StartMode'", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("'Safety.Typo' is not a known setting", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("'Storage.ProbeIntervalSeconds' is below the minimum", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_environment_override_is_validated_like_the_file()
    {
        var file = Write("ok.json", "{}");
        var range = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(file, new Dictionary<string, string?> { ["Storage:ProbeIntervalSeconds"] = "9999" }));
        Assert.Contains(range.Errors, e => e.Contains("Storage.ProbeIntervalSeconds", StringComparison.Ordinal) && e.Contains("environment override", StringComparison.Ordinal));
        var format = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(file, new Dictionary<string, string?> { ["Storage:ProbeIntervalSeconds"] = "soon" }));
        Assert.Contains(format.Errors, e => e.Contains("Storage:ProbeIntervalSeconds", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Live_mode_without_storage_names_the_variable()
    {
        var file = Write("live.json", """{"Deployment":{"Mode":"Live"}}""");
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(file));
        Assert.Contains(ex.Errors, e => e.Contains("Storage__ConnectionString", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Self_host_without_keys_names_the_variables()
    {
        var builder = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Api:AdminKey"] = "short" });
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => ConfigurationLoader.LoadAsync(builder.Build(), null, requireApiKeys: true));
        Assert.Contains(ex.Errors, e => e.Contains("Api__AdminKey is too short", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("Api__FunctionKey is not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Recovery_lists_replace_the_defaults_and_refuse_operator_reasons()
    {
        var file = Write("p.json", """{"Safety":{"AutoRecoverFromHalt":{"MARKET_DATA_STALE":60}}}""");
        var policy = (await Load(file)).Policy;
        Assert.Equal(TimeSpan.FromSeconds(60), policy.AutoRecoverFromHalt[ReasonCode.MarketDataStale]);
        Assert.False(policy.AutoRecoverFromHalt.ContainsKey(ReasonCode.StorageUnavailable));

        var bad = Write("q.json", """{"Safety":{"SelfClearing":{"MANUAL_HALT":1}}}""");
        await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(bad));
    }

    [Fact]
    public async Task Without_a_policy_section_the_safe_defaults_apply()
    {
        var loaded = await Load(Write("d.json", "{}"));
        Assert.Equal(SafetyPolicy.Default.AutoRecoverFromHalt.Keys.Order(), loaded.Policy.AutoRecoverFromHalt.Keys.Order());
        Assert.Equal(SafetyMode.ArmedSafe, loaded.Settings.Safety.ParsedStartMode);
    }

    [Fact]
    public async Task Missing_settings_file_is_a_clear_error()
    {
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() =>
            ConfigurationLoader.LoadAsync(new ConfigurationBuilder().Build(), Path.Combine(_dir, "nope.json"), false));
        Assert.Contains("HF_SETTINGS_FILE", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hyperliquid_section_is_validated_hashed_and_refused_against_the_simulator_in_live_mode()
    {
        var sim = Write("sim.json", """{"Hyperliquid":{"Network":"Simulator","RestUrl":"http://127.0.0.1:5050","WsUrl":"ws://127.0.0.1:5050/ws","Socket":{"PingInterval":"00:00:50"}}}""");
        var other = Write("other.json", """{"Hyperliquid":{"Network":"Simulator","RestUrl":"http://127.0.0.1:5051","WsUrl":"ws://127.0.0.1:5051/ws"}}""");
        var loaded = await Load(sim);
        Assert.Equal(new Uri("ws://127.0.0.1:5050/ws"), loaded.Settings.Hyperliquid!.WsUrl);
        Assert.NotEqual(loaded.ConfigHash, (await Load(other)).ConfigHash);

        var noUrl = Write("nourl.json", """{"Hyperliquid":{"Network":"Simulator"}}""");
        var missing = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(noUrl));
        Assert.Contains(missing.Errors, e => e.Contains("Hyperliquid:RestUrl", StringComparison.Ordinal));

        var badPing = Write("ping.json", """{"Hyperliquid":{"Network":"Testnet","Socket":{"PingInterval":"00:02:00"}}}""");
        var ping = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(badPing));
        Assert.Contains(ping.Errors, e => e.Contains("Hyperliquid:Socket:PingInterval", StringComparison.Ordinal));

        var live = await Assert.ThrowsAsync<ConfigurationValidationException>(() =>
            Load(sim, new Dictionary<string, string?> { ["Deployment:Mode"] = "Live", ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" }));
        Assert.Contains(live.Errors, e => e.Contains("Deployment:Mode is Live", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_shipped_settings_file_is_valid()
    {
        var shipped = Path.Combine(RepositoryRootPath(), "hyperfunctions.json");
        var loaded = await Load(shipped);
        Assert.Equal(HyperFunctions.Hyperliquid.Configuration.HyperliquidNetwork.Simulator, loaded.Settings.Hyperliquid!.Network);
    }

    private static string RepositoryRootPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HyperFunctions.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("repository root");
    }

    [Theory]
    [InlineData("""{"Safety":{"StartMode":"ARMED_LIVE"}}""")]
    [InlineData("""{"Safety":{"StartMode":"ARMED_LIVE","AllowStartLive":true}}""")]
    [InlineData("""{"Deployment":{"Mode":"Live"},"Safety":{"StartMode":"ARMED_LIVE"}}""")]
    public async Task Start_mode_ARMED_LIVE_needs_a_live_deployment_and_explicit_consent(string json)
    {
        var file = Write("live.json", json);
        var env = new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" };
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(file, env));
        Assert.Contains(ex.Errors, e => e.StartsWith("Safety:StartMode is ARMED_LIVE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_mode_ARMED_LIVE_with_a_live_deployment_and_consent_is_accepted()
    {
        var file = Write("live.json", """{"Deployment":{"Mode":"Live"},"Safety":{"StartMode":"ARMED_LIVE","AllowStartLive":true},"Hyperliquid":{"Network":"Testnet"}}""");
        var loaded = await Load(file, new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" });
        Assert.Equal((SafetyMode.ArmedLive, true), (loaded.Settings.Safety.ParsedStartMode, loaded.Settings.Safety.AllowStartLive));
    }

    private const string DevKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private const string DevAccount = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    [Theory]
    [InlineData("""{"Deployment":{"Mode":"Live"},"Hyperliquid":{"Network":"Testnet"}}""", true)]
    [InlineData("""{"Deployment":{"Mode":"Live"},"Hyperliquid":{"Network":"Testnet"},"Execution":{"Mode":"dry-run"}}""", false)]
    [InlineData("""{"Deployment":{"Mode":"Live"},"Hyperliquid":{"Network":"Testnet"},"Execution":{"Adapter":"Paper"}}""", false)]
    [InlineData("""{"Hyperliquid":{"Network":"Testnet"}}""", false)]
    public async Task Live_execution_in_a_live_deployment_needs_the_signing_key_named_by_its_variable(string json, bool refused)
    {
        var file = Write("exec.json", json);
        var env = new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" };
        if (refused)
        {
            // The loader accepts it (the keeper shares the settings and signs nothing); the function app refuses it.
            var errors = ConfigurationLoader.ExecutionKeyErrors(await Load(file, env));
            Assert.Contains(errors, e => e.Contains("Hyperliquid__PrivateKey is not set", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("Hyperliquid__AccountAddress is not set", StringComparison.Ordinal));
            env["Hyperliquid:PrivateKey"] = DevKey;
            env["Hyperliquid:AccountAddress"] = DevAccount;
        }
        var loaded = await Load(file, env);
        Assert.Empty(ConfigurationLoader.ExecutionKeyErrors(loaded));
    }

    [Theory]
    [InlineData("""{"Execution":{"KillSwitch":{"ScheduleCancelSeconds":5}}}""")]
    [InlineData("""{"Execution":{"KillSwitch":{"ScheduleCancelSeconds":90000}}}""")]
    [InlineData("""{"Execution":{"KillSwitch":{"ScheduleCancelSeconds":"soon"}}}""")]
    [InlineData("""{"Execution":{"KillSwitch":{"ScheduleCancelSecs":60}}}""")]
    public async Task The_kill_switch_scheduleCancel_lead_is_checked_and_named(string json)
    {
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(Write("ks.json", json), new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" }));
        Assert.Contains(ex.Errors, e => e.Contains("KillSwitch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_kill_switch_scheduleCancel_lead_defaults_to_60_seconds_and_can_be_set()
    {
        var env = new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" };
        Assert.Equal(60, (await Load(Write("ks-default.json", "{}"), env)).Settings.Execution.KillSwitch.ScheduleCancelSeconds);
        Assert.Equal(30, (await Load(Write("ks-30.json", """{"Execution":{"KillSwitch":{"ScheduleCancelSeconds":30}}}"""), env)).Settings.Execution.KillSwitch.ScheduleCancelSeconds);
    }

    [Fact]
    public async Task The_signing_key_is_refused_in_the_settings_file_and_execution_modes_are_checked()
    {
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(Write("k.json", "{\"Hyperliquid\":{\"Network\":\"Testnet\",\"PrivateKey\":\"" + DevKey + "\"}}"), new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" }));
        Assert.Contains(ex.Errors, e => e.Contains("Hyperliquid__PrivateKey", StringComparison.Ordinal));
        Assert.DoesNotContain(DevKey, ex.Message, StringComparison.Ordinal);
        var mode = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(Write("m.json", """{"Execution":{"Mode":"paper-trading"}}"""), new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" }));
        Assert.Contains(mode.Errors, e => e.Contains("Execution", StringComparison.Ordinal));
        var backfill = await Load(Write("b.json", """{"Execution":{"Mode":"backfill-only"}}"""), new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" });
        Assert.Equal("backfill-only", backfill.Settings.Execution.Mode);
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0a2V5;EndpointSuffix=core.windows.net")]
    [InlineData("UseDevelopmentStorage=true")]
    [InlineData("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://127.0.0.1")]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;")]
    [InlineData("BlobEndpoint=https://a.blob.core.windows.net;QueueEndpoint=https://a.queue.core.windows.net;TableEndpoint=https://a.table.core.windows.net;SharedAccessSignature=sv=2024&sig=abc")]
    public void Well_formed_storage_connection_strings_pass(string connection)
    {
        Assert.Empty(StorageConnectionString.Validate(connection, "Storage__ConnectionString"));
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=not base64!", "AccountKey is not valid base64")]
    [InlineData("AccountName=acct;AccountKey=", "AccountKey is not valid base64")]
    [InlineData("AccountKey=c2VjcmV0a2V5", "AccountKey needs AccountName")]
    [InlineData("DefaultEndpointsProtocol=ftp;AccountName=acct;AccountKey=c2VjcmV0a2V5", "DefaultEndpointsProtocol must be http or https")]
    [InlineData("AccountName=acct;AccountKey=c2VjcmV0a2V5;AccountName=other", "'AccountName' appears twice")]
    [InlineData("AccountName=acct;AccountKey=c2VjcmV0a2V5;Pasword=x", "'Pasword' is not a connection-string key")]
    [InlineData("UseDevelopmentStorage=false", "UseDevelopmentStorage must be true")]
    [InlineData("UseDevelopmentStorage=true;AccountName=acct", "takes no other keys")]
    [InlineData("SharedAccessSignature=sv=1&sig=x", "without AccountName it needs BlobEndpoint, QueueEndpoint and TableEndpoint")]
    [InlineData(";;", "it is empty")]
    public void Malformed_storage_connection_strings_are_named_without_echoing_the_value(string connection, string problem)
    {
        var errors = StorageConnectionString.Validate(connection, "AzureWebJobsStorage");
        var error = Assert.Single(errors, e => e.Contains(problem, StringComparison.Ordinal));
        Assert.StartsWith("AzureWebJobsStorage is malformed: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0a2V5", error, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64!", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_connection_string_from_the_environment_fails_loading_naming_the_variable()
    {
        var file = Write("ok.json", "{}");
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() =>
            Load(file, new Dictionary<string, string?> { ["Storage:ConnectionString"] = "AccountName=acct;AccountKey=%%%" }));
        Assert.Contains(ex.Errors, e => e.StartsWith("Storage__ConnectionString is malformed: AccountKey is not valid base64", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_shipped_keeper_section_loads_with_btc_eth_and_the_dev_account()
    {
        var shipped = Path.Combine(TestSupportRoot(), "hyperfunctions.json");
        var loaded = await Load(shipped);
        Assert.True(loaded.Settings.Hosting.RunKeeper);
        Assert.Equal(["BTC", "ETH"], loaded.Settings.Keeper.EffectiveCoins);
        Assert.Equal(["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"], loaded.Settings.Keeper.EffectiveAccounts);
        Assert.Equal(5, loaded.Settings.Keeper.FallbackAfterFailures);
    }

    [Theory]
    [InlineData("""{"Keeper":{"Coins":["BTC","bad coin"]}}""", "Keeper")]
    [InlineData("""{"Keeper":{"Accounts":["0x123"]}}""", "Keeper")]
    [InlineData("""{"Keeper":{"FallbackAfterFailures":0}}""", "FallbackAfterFailures")]
    [InlineData("""{"Keeper":{"LeaseSeconds":10}}""", "LeaseSeconds")]
    [InlineData("""{"Keeper":{"Unknown":1}}""", "Unknown")]
    public async Task A_bad_keeper_setting_is_refused_naming_the_key(string json, string key)
    {
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(Write("k.json", json)));
        Assert.Contains(ex.Errors, e => e.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_keeper_override_is_refused_naming_the_key()
    {
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(Write("ok.json", "{}"), new Dictionary<string, string?> { ["Keeper:BackfillWindowSeconds"] = "5" }));
        Assert.Contains(ex.Errors, e => e.Contains("BackfillWindowSeconds", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Running_the_keeper_without_the_venue_section_is_refused()
    {
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(Write("nk.json", """{"Hosting":{"RunKeeper":true}}""")));
        Assert.Contains(ex.Errors, e => e.Contains("Hosting:RunKeeper", StringComparison.Ordinal) && e.Contains("Hyperliquid", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"Reconciliation":{"Mode":"Sometimes"}}""", "Mode")]
    [InlineData("""{"Reconciliation":{"DriftRatio":0}}""", "DriftRatio")]
    [InlineData("""{"Reconciliation":{"DriftRatio":0.1,"CriticalRatio":0.05}}""", "Reconciliation:CriticalRatio")]
    [InlineData("""{"Reconciliation":{"MinAbsoluteDrift":-1}}""", "MinAbsoluteDrift")]
    [InlineData("""{"Reconciliation":{"ConfirmRuns":0}}""", "ConfirmRuns")]
    [InlineData("""{"Reconciliation":{"Account":"0x12"}}""", "Account")]
    [InlineData("""{"Reconciliation":{"Unknown":1}}""", "Unknown")]
    public async Task A_bad_reconciliation_setting_is_refused_naming_the_key(string json, string key)
    {
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(Write("r.json", json)));
        Assert.Contains(ex.Errors, e => e.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconciliation_defaults_follow_the_procedures_and_the_account_defaults_to_the_first_keeper_account()
    {
        var loaded = await Load(Write("r0.json", """{"Keeper":{"Accounts":["0xF39FD6E51AAD88F6F4CE6AB8827279CFFFB92266"]}}"""));
        var r = loaded.Settings.Reconciliation;
        Assert.Equal((ReconciliationMode.Manual, 0.001m, 0m, 0.05m, 2), (r.Mode, r.DriftRatio, r.MinAbsoluteDrift, r.CriticalRatio, r.ConfirmRuns));
        Assert.Equal("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", r.EffectiveAccount(loaded.Settings.Keeper));
        var overridden = await Load(Write("r1.json", "{}"), new Dictionary<string, string?> { ["Reconciliation:Mode"] = "Auto", ["Reconciliation:DriftRatio"] = "0.002" });
        Assert.Equal((ReconciliationMode.Auto, 0.002m), (overridden.Settings.Reconciliation.Mode, overridden.Settings.Reconciliation.DriftRatio));
        Assert.Null(overridden.Settings.Reconciliation.EffectiveAccount(overridden.Settings.Keeper));
    }

    private static string TestSupportRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HyperFunctions.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("repository root");
    }
}
