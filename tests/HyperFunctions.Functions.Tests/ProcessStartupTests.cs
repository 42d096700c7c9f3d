using System.Diagnostics;

namespace HyperFunctions.Functions.Tests;

/// <summary>The real executable refuses bad configuration with one clear message and exit code 2.</summary>
public sealed class ProcessStartupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hf-startup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int ExitCode, string StdErr)> RunAppAsync(IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "HyperFunctions.Functions"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Only what the test gives: nothing inherited from the developer's shell may change the outcome.
        foreach (var inherited in new[] { "FUNCTIONS_CUSTOMHANDLER_PORT", "HF_SETTINGS_FILE", "Storage__ConnectionString", "AzureWebJobsStorage", "Api__AdminKey", "Api__FunctionKey", "Deployment__Mode" })
            start.Environment.Remove(inherited);
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var kv in environment) start.Environment[kv.Key] = kv.Value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(guard.Token);
        return (process.ExitCode, await stderr);
    }

    [Fact]
    public async Task Invalid_settings_file_exits_2_naming_the_key()
    {
        var file = Path.Combine(_dir, "bad.json");
        await File.WriteAllTextAsync(file, """{"Safety":{"StartMode":"ARMED_LIVE"},"Storage":{"ProbeIntervalSeconds":0}}""");
        var (exit, stderr) = await RunAppAsync(new Dictionary<string, string>
        {
            ["HF_SETTINGS_FILE"] = file,
            ["Api__AdminKey"] = "admin-key-0123456789abcdef",
            ["Api__FunctionKey"] = "function-key-0123456789abcdef",
        });
        Assert.Equal(2, exit);
        Assert.Contains("'Storage.ProbeIntervalSeconds' is below the minimum", stderr, StringComparison.Ordinal);
        Assert.Contains("Safety:StartMode is ARMED_LIVE", stderr, StringComparison.Ordinal); // only with Live mode and AllowStartLive
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=wrong-key-!!;EndpointSuffix=core.windows.net", "AccountKey is not valid base64")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct", "needs AccountName and AccountKey, or SharedAccessSignature")]
    [InlineData("AccountName=acct;AccountKey=c2VjcmV0;TableEndpoint=not a url", "TableEndpoint is not an absolute http(s) URL")]
    [InlineData("just-some-text", "is not Key=Value")]
    public async Task A_malformed_storage_connection_string_exits_2_naming_the_variable_without_echoing_it(string connection, string problem)
    {
        var (exit, stderr) = await RunAppAsync(new Dictionary<string, string>
        {
            ["Storage__ConnectionString"] = connection,
            ["Api__AdminKey"] = "admin-key-0123456789abcdef",
            ["Api__FunctionKey"] = "function-key-0123456789abcdef",
        });
        Assert.Equal(2, exit);
        Assert.Contains("Storage__ConnectionString is malformed", stderr, StringComparison.Ordinal);
        Assert.Contains(problem, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-key", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task A_malformed_AzureWebJobsStorage_is_named_as_such()
    {
        var (exit, stderr) = await RunAppAsync(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=yes",
            ["Api__AdminKey"] = "admin-key-0123456789abcdef",
            ["Api__FunctionKey"] = "function-key-0123456789abcdef",
        });
        Assert.Equal(2, exit);
        Assert.Contains("AzureWebJobsStorage is malformed: UseDevelopmentStorage must be true", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Self_host_without_keys_exits_2_naming_the_variables_and_never_echoes_a_secret()
    {
        var (exit, stderr) = await RunAppAsync(new Dictionary<string, string>
        {
            ["Api__AdminKey"] = "tiny-secret",
            ["Storage__ConnectionString"] = "UseDevelopmentStorage=true",
        });
        Assert.Equal(2, exit);
        Assert.Contains("Api__AdminKey is too short", stderr, StringComparison.Ordinal);
        Assert.Contains("Api__FunctionKey is not set", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("tiny-secret", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_mode_without_storage_exits_2_naming_the_variable()
    {
        var (exit, stderr) = await RunAppAsync(new Dictionary<string, string>
        {
            ["Deployment__Mode"] = "Live",
            ["Api__AdminKey"] = "admin-key-0123456789abcdef",
            ["Api__FunctionKey"] = "function-key-0123456789abcdef",
        });
        Assert.Equal(2, exit);
        Assert.Contains("Storage__ConnectionString", stderr, StringComparison.Ordinal);
    }
}
