using System.Text.Json.Nodes;
using HyperFunctions.Cli;
using HyperFunctions.Hyperliquid.Signing;

namespace HyperFunctions.Signing.Tests;

/// <summary>Runs the hf command tree in-process with captured output, an injected environment and files.</summary>
public class HfExchangePreviewTests
{
    private const string Key = "0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63";
    private const string KeyVariable = "HF_HL_PRIVATE_KEY";
    private const string Vault = "0x1719884eb866cb12b2287399b15f7db5e7d775ea";

    [Fact]
    public void Prints_the_exchange_body_whose_signature_recovers_to_the_key()
    {
        var run = Run(new() { [KeyVariable] = Key }, "exchange", "preview", "--action", ActionHasherTests.EthIocOrderJson, "--nonce", "1677777606040");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        var body = JsonNode.Parse(run.Output)!.AsObject();
        Assert.Equal(["action", "nonce", "signature", "vaultAddress"], body.Select(p => p.Key));
        Assert.Equal(ActionHasherTests.EthIocOrderJson, body["action"]!.ToJsonString());
        Assert.Equal(1677777606040, (long)body["nonce"]!);
        Assert.Null(body["vaultAddress"]);

        var signature = SignatureOf(body);
        var signer = HyperliquidSigner.RecoverL1Signer(body["action"]!.AsObject(), 1677777606040, null, isMainnet: true, signature);
        Assert.Equal(EthereumAddress.FromPrivateKey(Key), signer);
    }

    [Fact]
    public void Output_is_one_line_of_json_exactly()
    {
        var run = Run(new() { [KeyVariable] = TestKeys.SdkTestKey }, "exchange", "preview", "--action", """{"type":"scheduleCancel","time":123456789}""", "--nonce", "0");

        // The SDK's published test_schedule_cancel_action signature (mainnet), through the CLI.
        Assert.Equal(
            """{"action":{"type":"scheduleCancel","time":123456789},"nonce":0,"signature":{"r":"0x609cb20c737945d070716dcc696ba030e9976fcf5edad87afa7d877493109d55","s":"0x16c685d63b5c7a04512d73f183b3d7a00da5406ff1f8aad33f8ae2163bab758b","v":28},"vaultAddress":null}""" + Environment.NewLine,
            run.Output);
    }

    [Fact]
    public void Testnet_vault_and_expiry_are_signed_and_printed()
    {
        var checksummedVault = EthereumAddress.ToChecksum(Vault);
        var run = Run(
            new() { [KeyVariable] = Key },
            "exchange", "preview", "--action", """{"type":"cancel","cancels":[{"a":4,"o":123}]}""", "--nonce", "1700000000000",
            "--vault", checksummedVault, "--testnet", "--expires-after", "1700000060000");

        Assert.Equal(0, run.ExitCode);
        var body = JsonNode.Parse(run.Output)!.AsObject();
        Assert.Equal(["action", "nonce", "signature", "vaultAddress", "expiresAfter"], body.Select(p => p.Key));
        Assert.Equal(Vault, (string?)body["vaultAddress"]);
        Assert.Equal(1700000060000, (long)body["expiresAfter"]!);

        var signature = SignatureOf(body);
        var action = body["action"]!.AsObject();
        Assert.Equal(EthereumAddress.FromPrivateKey(Key),
            HyperliquidSigner.RecoverL1Signer(action, 1700000000000, Vault, isMainnet: false, signature, 1700000060000));
        Assert.NotEqual(EthereumAddress.FromPrivateKey(Key),
            HyperliquidSigner.RecoverL1Signer(action, 1700000000000, Vault, isMainnet: true, signature, 1700000060000));
    }

    [Fact]
    public void Reads_the_action_from_a_file_with_at_prefix()
    {
        var files = new Dictionary<string, string> { ["orders/eth.json"] = ActionHasherTests.EthIocOrderJson };

        var run = Run(new() { [KeyVariable] = Key }, files, "exchange", "preview", "--action", "@orders/eth.json", "--nonce", "5");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(ActionHasherTests.EthIocOrderJson, JsonNode.Parse(run.Output)!["action"]!.ToJsonString());
    }

    [Fact]
    public void Prints_integral_numbers_as_they_were_hashed()
    {
        var run = Run(new() { [KeyVariable] = Key }, "exchange", "preview", "--action", """{"type":"scheduleCancel","time":1.7e12}""", "--nonce", "5");

        Assert.Equal(0, run.ExitCode);
        var body = JsonNode.Parse(run.Output)!.AsObject();
        Assert.Equal("""{"type":"scheduleCancel","time":1700000000000}""", body["action"]!.ToJsonString());
        Assert.Equal(EthereumAddress.FromPrivateKey(Key),
            HyperliquidSigner.RecoverL1Signer(body["action"]!.AsObject(), 5, null, true, SignatureOf(body)));
    }

    [Fact]
    public void Missing_key_is_one_clear_error_with_exit_code_2()
    {
        var run = Run([], "exchange", "preview", "--action", """{"type":"scheduleCancel"}""", "--nonce", "1");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        var line = Assert.Single(Lines(run.Error));
        Assert.Contains(KeyVariable, line, StringComparison.Ordinal);
        Assert.Contains("not set", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be")]
    [InlineData("0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692bezz")]
    [InlineData("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")]
    public void Invalid_key_is_reported_without_printing_it(string badKey)
    {
        var run = Run(new() { [KeyVariable] = badKey }, "exchange", "preview", "--action", """{"type":"scheduleCancel"}""", "--nonce", "1");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        var line = Assert.Single(Lines(run.Error));
        Assert.Contains($"{KeyVariable} is invalid", line, StringComparison.Ordinal);
        Assert.DoesNotContain(badKey[2..], line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(badKey[2..20], line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_key_never_appears_in_any_output()
    {
        var ok = Run(new() { [KeyVariable] = Key }, "exchange", "preview", "--action", """{"type":"scheduleCancel"}""", "--nonce", "1");
        var failed = Run(new() { [KeyVariable] = Key }, "exchange", "preview", "--action", """{"type":"order","p":1.5}""", "--nonce", "1");

        foreach (var text in new[] { ok.Output, ok.Error, failed.Output, failed.Error })
        {
            Assert.DoesNotContain(Key[2..], text, StringComparison.OrdinalIgnoreCase);
        }
    }

    public static TheoryData<string[], string> BadInputs => new()
    {
        { ["--action", "{\"type\":", "--nonce", "1"], "not valid JSON" },
        { ["--action", "[1,2]", "--nonce", "1"], "must be a JSON object" },
        { ["--action", "{\"orders\":[]}", "--nonce", "1"], "string \"type\"" },
        { ["--action", "{\"type\":\"order\",\"orders\":[{\"p\":1670.1}]}", "--nonce", "1"], "$.orders[0].p" },
        { ["--action", "{\"type\":\"x\",\"a\":1,\"a\":2}", "--nonce", "1"], "cannot be signed" },
        { ["--action", "{\"type\":\"usdSend\"}", "--nonce", "1"], "user-signed" },
        { ["--action", "@missing.json", "--nonce", "1"], "cannot read the action file 'missing.json'" },
        { ["--action", "{\"type\":\"x\"}", "--nonce", "abc"], "--nonce must be a non-negative whole number" },
        { ["--action", "{\"type\":\"x\"}", "--nonce", "-5"], "--nonce" },
        { ["--action", "{\"type\":\"x\"}", "--nonce", "1.5"], "--nonce must be a non-negative whole number" },
        { ["--action", "{\"type\":\"x\"}", "--nonce", "1", "--vault", "0x1234"], "--vault must be 0x followed by 40 hex digits" },
        { ["--action", "{\"type\":\"x\"}", "--nonce", "1", "--vault", "0x1719884eB866cb12b2287399b15f7db5e7d775ea"], "EIP-55" },
        { ["--action", "{\"type\":\"x\"}", "--nonce", "1", "--expires-after", "soon"], "--expires-after must be a non-negative whole number" },
        { ["--action", "{\"type\":\"x\"}"], "--nonce' is required" },
        { ["--nonce", "1"], "--action' is required" },
        { ["--action", "{\"type\":\"x\"}", "--nonce", "1", "--send"], "--send" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_exits_2_with_a_clear_message_and_prints_no_body(string[] options, string expectedFragment)
    {
        var run = Run(new() { [KeyVariable] = Key }, ["exchange", "preview", .. options]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.Contains(expectedFragment, run.Error, StringComparison.Ordinal);
        Assert.StartsWith("hf: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void No_command_is_a_usage_error()
    {
        var run = Run([]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Required command was not provided", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_the_options_and_exits_0()
    {
        var run = Run([], "exchange", "preview", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var option in new[] { "--action", "--nonce", "--vault", "--testnet", "--expires-after" })
        {
            Assert.Contains(option, run.Output, StringComparison.Ordinal);
        }
    }

    private static EcdsaSignature SignatureOf(JsonObject body) =>
        new((string)body["signature"]!["r"]!, (string)body["signature"]!["s"]!, (int)body["signature"]!["v"]!);

    private static string[] Lines(string text) => text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    private static CliRun Run(Dictionary<string, string> environment, params string[] args) => Run(environment, [], args);

    private static CliRun Run(Dictionary<string, string> environment, Dictionary<string, string> files, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(
            output,
            error,
            name => environment.TryGetValue(name, out var value) ? value : null,
            path => files.TryGetValue(path, out var content) ? content : throw new FileNotFoundException($"Could not find file '{path}'."));

        var exitCode = HfCli.Run(args, context);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    private sealed record CliRun(int ExitCode, string Output, string Error);
}
