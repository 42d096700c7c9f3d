using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HyperFunctions.Hyperliquid.Signing;
using HyperFunctions.Simulator;

namespace HyperFunctions.Signing.Tests;

/// <summary>
/// The cancel-side action builders. scheduleCancel has published SDK signatures (tests/signing_test.py, also in
/// <see cref="SdkSignatureVectorTests"/>): the builder must produce exactly the actions they sign. Neither
/// hyperliquid.md nor the SDK's tests publish a vector for cancel or cancelByCloid, so those are checked by
/// their msgpack bytes (written out from the msgpack spec), by signer recovery, and by the simulator's
/// signature check over a real socket.
/// </summary>
public sealed class L1ActionsTests
{
    [Theory]
    [InlineData(null, """{"type":"scheduleCancel"}""", "0x6cdfb286702f5917e76cd9b3b8bf678fcc49aec194c02a73e6d4f16891195df9", "0x6557ac307fa05d25b8d61f21fb8a938e703b3d9bf575f6717ba21ec61261b2a0", 27)]
    [InlineData(123456789L, """{"type":"scheduleCancel","time":123456789}""", "0x609cb20c737945d070716dcc696ba030e9976fcf5edad87afa7d877493109d55", "0x16c685d63b5c7a04512d73f183b3d7a00da5406ff1f8aad33f8ae2163bab758b", 28)]
    public void ScheduleCancel_is_the_action_the_sdk_vectors_sign(long? time, string json, string r, string s, int v)
    {
        var action = L1Actions.ScheduleCancel(time);

        Assert.Equal(json, action.ToJsonString());
        var body = L1Actions.SignedBody(TestKeys.SdkTestKey, action, 0, isMainnet: true);
        Assert.Equal((TestKeys.Pad32(r), TestKeys.Pad32(s), v), ((string)body["signature"]!["r"]!, (string)body["signature"]!["s"]!, (int)body["signature"]!["v"]!));
        Assert.Equal(["action", "nonce", "signature", "vaultAddress"], body.Select(p => p.Key));
        Assert.Null(body["vaultAddress"]);
    }

    [Fact]
    public void Cancel_packs_type_then_cancels_with_a_then_o()
    {
        var action = L1Actions.Cancel([(1, 2)]);

        Assert.Equal("""{"type":"cancel","cancels":[{"a":1,"o":2}]}""", action.ToJsonString());
        // fixmap(2) "type" "cancel" "cancels" fixarray(1) fixmap(2) "a" 1 "o" 2
        byte[] expected = [0x82, 0xa4, .. "type"u8, 0xa6, .. "cancel"u8, 0xa7, .. "cancels"u8, 0x91, 0x82, 0xa1, (byte)'a', 0x01, 0xa1, (byte)'o', 0x02];
        Assert.Equal(expected, ActionHasher.Pack(action));
    }

    [Fact]
    public void A_large_oid_packs_as_uint64_as_python_msgpack_does()
    {
        var action = L1Actions.Cancel([(0, 1L << 40)]);
        var packed = ActionHasher.Pack(action);
        byte[] tail = [0xa1, (byte)'o', 0xcf, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00];
        Assert.Equal(tail, packed[^tail.Length..]);
    }

    [Fact]
    public void CancelByCloid_packs_type_then_cancels_with_asset_then_cloid_in_lower_case()
    {
        var cloid = "0x" + new string('A', 32);
        var action = L1Actions.CancelByCloid([(3, cloid)]);

        Assert.Equal($$"""{"type":"cancelByCloid","cancels":[{"asset":3,"cloid":"0x{{new string('a', 32)}}"}]}""", action.ToJsonString());
        byte[] expected = [0x82, 0xa4, .. "type"u8, 0xad, .. "cancelByCloid"u8, 0xa7, .. "cancels"u8, 0x91, 0x82, 0xa5, .. "asset"u8, 0x03, 0xa5, .. "cloid"u8, 0xd9, 34, // str8: 34 bytes do not fit a fixstr
             .. Encoding.ASCII.GetBytes("0x" + new string('a', 32))];
        Assert.Equal(expected, ActionHasher.Pack(action));
    }

    [Theory]
    [InlineData("0x1")]
    [InlineData("0xzz000000000000000000000000000000")]
    [InlineData("")]
    public void CancelByCloid_refuses_a_malformed_cloid(string cloid) =>
        Assert.Throws<ArgumentException>(() => L1Actions.CancelByCloid([(0, cloid)]));

    [Fact]
    public void Empty_batches_and_negative_ids_are_refused()
    {
        Assert.Throws<ArgumentException>(() => L1Actions.Cancel([]));
        Assert.Throws<ArgumentException>(() => L1Actions.CancelByCloid([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => L1Actions.Cancel([(-1, 2)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => L1Actions.Cancel([(1, -2)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => L1Actions.ScheduleCancel(-1));
    }

    [Fact]
    public void A_signed_cancel_recovers_to_the_signing_key()
    {
        var action = L1Actions.Cancel([(0, 17), (1, 18)]);
        var body = L1Actions.SignedBody(TestKeys.SdkTestKey, action, 1_700_000_000_000, isMainnet: false);
        var sig = body["signature"]!;
        var signer = HyperliquidSigner.RecoverL1Signer((JsonObject)body["action"]!, 1_700_000_000_000, null, false,
            new EcdsaSignature((string)sig["r"]!, (string)sig["s"]!, (int)sig["v"]!));
        Assert.Equal(EthereumAddress.FromPrivateKey(TestKeys.SdkTestKey), signer);
        Assert.DoesNotContain(TestKeys.SdkTestKey[2..], body.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_simulator_accepts_signed_cancel_cancelByCloid_and_scheduleCancel_bodies()
    {
        await using var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions { Seed = 7 });
        using var http = new HttpClient();
        var nonce = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var cloid = "0x" + new string('1', 32);
        var btc = sim.Market.AssetId("BTC");

        // A resting buy far below the mid, then its cancel by cloid: "success".
        var order = new JsonObject
        {
            ["type"] = "order",
            ["orders"] = new JsonArray(new JsonObject
            {
                ["a"] = btc, ["b"] = true, ["p"] = "1000", ["s"] = "0.02", ["r"] = false,
                ["t"] = new JsonObject { ["limit"] = new JsonObject { ["tif"] = "Gtc" } }, ["c"] = cloid,
            }),
            ["grouping"] = "na",
        };
        var placed = await PostAsync(http, sim, L1Actions.SignedBody(SimulatorAccount.DevPrivateKey, order, nonce, isMainnet: true));
        Assert.True(placed["response"]?["data"]?["statuses"]?[0]?["resting"] is not null, placed.ToJsonString());

        var byCloid = await PostAsync(http, sim, L1Actions.SignedBody(SimulatorAccount.DevPrivateKey, L1Actions.CancelByCloid([(btc, cloid)]), nonce + 1, isMainnet: true));
        Assert.Equal("success", (string?)byCloid["response"]!["data"]!["statuses"]![0]);

        // Cancelling it again by oid: the venue's per-order error, the action as a whole "ok".
        var oid = (long)placed["response"]!["data"]!["statuses"]![0]!["resting"]!["oid"]!;
        var again = await PostAsync(http, sim, L1Actions.SignedBody(SimulatorAccount.DevPrivateKey, L1Actions.Cancel([(btc, oid)]), nonce + 2, isMainnet: true));
        Assert.Equal("ok", (string?)again["status"]);
        Assert.NotNull(again["response"]!["data"]!["statuses"]![0]!["error"]);

        var armed = await PostAsync(http, sim, L1Actions.SignedBody(SimulatorAccount.DevPrivateKey, L1Actions.ScheduleCancel(nonce + 60_000), nonce + 3, isMainnet: true));
        Assert.Equal("ok", (string?)armed["status"]);
        Assert.Equal(nonce + 60_000, sim.Market.ScheduledCancelAt(SimulatorAccount.Dev.Address));
        var cleared = await PostAsync(http, sim, L1Actions.SignedBody(SimulatorAccount.DevPrivateKey, L1Actions.ScheduleCancel(null), nonce + 4, isMainnet: true));
        Assert.Equal("ok", (string?)cleared["status"]);
        Assert.Null(sim.Market.ScheduledCancelAt(SimulatorAccount.Dev.Address));
    }

    private static async Task<JsonObject> PostAsync(HttpClient http, HyperliquidSimulator sim, JsonObject body)
    {
        using var response = await http.PostAsync(new Uri(sim.RestUrl, "exchange"), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(answer["status"] is not null, answer.ToJsonString());
        return answer;
    }
}
