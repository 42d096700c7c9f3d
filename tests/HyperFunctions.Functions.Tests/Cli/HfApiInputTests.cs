using System.Net;
using System.Net.Sockets;
using HyperFunctions.Cli;
using HyperFunctions.TestSupport;

namespace HyperFunctions.Functions.Tests.Cli;

/// <summary>hf's API commands before and without an app: bad input is exit 2 with nothing sent, no answer is exit 3.</summary>
public sealed class HfApiInputTests
{
    private const string Key = "some-admin-key-0123456789";

    [Theory]
    [InlineData("--operator", "alice smith", "--operator must be 1-64 characters")]
    [InlineData("--timeout", "0", "--timeout must be a whole number of seconds from 1 to 3600")]
    [InlineData("--timeout", "soon", "--timeout must be a whole number of seconds from 1 to 3600")]
    [InlineData("--url", "ftp://127.0.0.1/", "--url must be an absolute http:// or https:// URL")]
    [InlineData("--url", "localhost:7071", "--url must be an absolute http:// or https:// URL")]
    [InlineData("--url", "http://127.0.0.1:7071/?code=abc", "--url must be the base URL only")]
    [InlineData("--reason", "   ", "--reason must not be empty")]
    public async Task Bad_input_is_exit_2_naming_the_option_and_nothing_is_sent(string option, string value, string message)
    {
        using var listener = Listener.Start();
        var args = new List<string> { "halt", "--reason", "x", "--url", listener.Url };
        var at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([option, value]);

        var run = await HfRun.RunAsync(new Dictionary<string, string> { ["HF_ADMIN_KEY"] = Key }, [.. args]);

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
        Assert.False(listener.Pending, "hf connected although its input was bad");
    }

    [Fact]
    public async Task A_key_that_cannot_be_a_header_is_exit_2_and_is_not_printed()
    {
        using var listener = Listener.Start();
        const string secret = "abc\ndef-secret-part";
        var run = await HfRun.RunAsync(new Dictionary<string, string> { ["HF_ADMIN_KEY"] = secret }, "halt", "--reason", "x", "--url", listener.Url);

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Assert.Contains("HF_ADMIN_KEY holds characters that cannot be sent in a header", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-part", run.Error, StringComparison.Ordinal);
        Assert.False(listener.Pending);
    }

    [Fact]
    public async Task Status_without_any_key_is_exit_2_and_HF_OPERATOR_is_checked_like_the_option()
    {
        var status = await HfRun.RunAsync(new Dictionary<string, string>(), "status", "--url", "http://127.0.0.1:1/");
        Assert.True(status.ExitCode == ExitCodes.InvalidInput, status.ToString());
        Assert.Contains("Neither HF_FUNCTION_KEY nor HF_ADMIN_KEY is set", status.Error, StringComparison.Ordinal);

        var badOperator = await HfRun.RunAsync(new Dictionary<string, string> { ["HF_ADMIN_KEY"] = Key, ["HF_OPERATOR"] = "a/b" }, "halt", "--reason", "x", "--url", "http://127.0.0.1:1/");
        Assert.True(badOperator.ExitCode == ExitCodes.InvalidInput, badOperator.ToString());
        Assert.Contains("HF_OPERATOR must be 1-64 characters", badOperator.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_API_is_exit_3_naming_the_request()
    {
        var port = RunningProcess.FreePort(); // nothing listens there
        var url = $"http://127.0.0.1:{port}/";

        var run = await HfRun.RunAsync(new Dictionary<string, string> { ["HF_ADMIN_KEY"] = Key }, "halt", "--reason", "x", "--cancel-all", "--url", url);

        Assert.True(run.ExitCode == ExitCodes.ApiFailure, run.ToString());
        Assert.Contains($"cannot reach the ops API: POST {url}api/safety/halt failed:", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);

        var status = await HfRun.RunAsync(new Dictionary<string, string> { ["HF_FUNCTION_KEY"] = Key, ["HF_API_URL"] = url }, "status");
        Assert.True(status.ExitCode == ExitCodes.ApiFailure, status.ToString());
        Assert.Contains($"GET {url}api/status failed:", status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_API_that_never_answers_is_exit_3_after_the_timeout_and_says_to_check_status()
    {
        // Accepts the connection and reads nothing back: only --timeout ends the wait.
        using var listener = Listener.Start();

        var run = await HfRun.RunAsync(new Dictionary<string, string> { ["HF_ADMIN_KEY"] = Key }, "halt", "--reason", "x", "--cancel-all", "--url", listener.Url, "--timeout", "1");

        Assert.True(run.ExitCode == ExitCodes.ApiFailure, run.ToString());
        Assert.Contains("got no answer within 1 s (--timeout)", run.Error, StringComparison.Ordinal);
        Assert.Contains("Run 'hf status'", run.Error, StringComparison.Ordinal);
        Assert.True(listener.Pending, "hf never connected");
    }

    /// <summary>A loopback socket that accepts connections (the kernel's backlog) and never answers.</summary>
    private sealed class Listener : IDisposable
    {
        private readonly TcpListener _tcp;

        private Listener(TcpListener tcp) => _tcp = tcp;

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_tcp.LocalEndpoint).Port}/";

        /// <summary>Whether a connection is waiting (hf connected).</summary>
        public bool Pending => _tcp.Pending();

        public static Listener Start()
        {
            var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            return new Listener(tcp);
        }

        public void Dispose() => _tcp.Dispose();
    }
}
