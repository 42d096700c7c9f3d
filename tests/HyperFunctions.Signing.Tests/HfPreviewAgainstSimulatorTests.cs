using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HyperFunctions.Cli;
using HyperFunctions.Simulator;

namespace HyperFunctions.Signing.Tests;

/// <summary>
/// What `hf exchange preview` prints is exactly what the venue accepts: POSTed unchanged to the
/// simulator's /exchange it passes the signature check; the same body with one byte of the signed
/// content changed does not.
/// </summary>
public sealed class HfPreviewAgainstSimulatorTests
{
    private static string Preview(string action, long nonce)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error,
            name => name == "HF_HL_PRIVATE_KEY" ? SimulatorAccount.DevPrivateKey : null,
            path => throw new FileNotFoundException(path));
        var exit = HfCli.Run(["exchange", "preview", "--action", action, "--nonce", nonce.ToString(System.Globalization.CultureInfo.InvariantCulture), "--testnet"], context);
        Assert.True(exit == 0, error.ToString());
        return output.ToString();
    }

    private static async Task<JsonObject> PostAsync(HttpClient http, Uri rest, string body)
    {
        using var response = await http.PostAsync(new Uri(rest, "exchange"), new StringContent(body, Encoding.UTF8, "application/json"));
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Fact]
    public async Task Preview_output_passes_the_simulators_signature_check_and_a_tampered_copy_fails()
    {
        await using var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions { Seed = 7, IsMainnet = false });
        using var http = new HttpClient();
        var nonce = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var body = Preview("""{"type":"scheduleCancel"}""", nonce);
        var accepted = await PostAsync(http, sim.RestUrl, body);
        Assert.Equal("ok", (string?)accepted["status"]);

        var tampered = Preview("""{"type":"scheduleCancel"}""", nonce + 1).Replace($"\"nonce\":{nonce + 1}", $"\"nonce\":{nonce + 2}", StringComparison.Ordinal);
        var refused = await PostAsync(http, sim.RestUrl, tampered);
        Assert.Equal("err", (string?)refused["status"]);
    }
}
