using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Simulator;
using HyperFunctions.Storage.Execution;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests.Execution;

/// <summary>
/// One intent's message delivered twice at once (docs/execution.md, "Crash safety"): both runs can send the cloid,
/// and the venue refuses the second with "Duplicate cloid.". That refusal must never become the intent's result:
/// the executor asks the venue by cloid and records what it says. Two real executors race against the simulator,
/// held at BeforeSend so the interleaving is the bad one, never timed.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DuplicateDeliveryTests(AzuriteFixture azurite) : ExecutionTestBase(azurite, 11)
{


    [Fact]
    public async Task Two_deliveries_racing_on_one_intent_record_the_venues_result_not_its_duplicate_cloid_refusal()
    {
        await using var app = await TestApp.StartAsync(Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Hyperliquid:RestUrl"] = Sim.RestUrl.ToString(),
            ["Hyperliquid:WsUrl"] = Sim.WsUrl.ToString(),
            ["Hyperliquid:PrivateKey"] = SimulatorAccount.DevPrivateKey,
            ["Hyperliquid:AccountAddress"] = Dev,
            ["Execution:Table"] = AzuriteFixture.UniqueName("Orders"),
            ["Alerts:Table"] = AzuriteFixture.UniqueName("Alerts"),
        });
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"duplicate delivery test"}""")).Status);
        var request = app.Request(HttpMethod.Post, "/api/orders", TestApp.AdminKey, """{"coin":"BTC","side":"buy","size":"0.001","type":"market","slippage":0.05}""");
        request.Headers.Add("Idempotency-Key", "race-1");
        using var response = await app.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 202, text);
        var cloid = (string)JsonNode.Parse(text)!["cloid"]!;
        await Queue.ClearMessagesAsync(); // the two deliveries are the executors below
        var store = app.App.Services.GetRequiredService<OrderStore>();
        var intent = (await store.GetAsync(cloid, CancellationToken.None))!.Intent;

        var firstPoints = new HeldAtBeforeSend();
        var secondPoints = new HeldAtBeforeSend();
        var first = ActivatorUtilities.CreateInstance<OrderExecutor>(app.App.Services, (IExecutionCrashPoints)firstPoints);
        var second = ActivatorUtilities.CreateInstance<OrderExecutor>(app.App.Services, (IExecutionCrashPoints)secondPoints);

        // The first delivery is SENDING and about to send; the second finds SENDING, the venue does not know the cloid
        // yet, so it judges the intent again and is about to send too.
        var firstRun = Task.Run(() => first.ExecuteAsync(intent, CancellationToken.None));
        await firstPoints.Reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var secondRun = Task.Run(() => second.ExecuteAsync(intent, CancellationToken.None));
        await secondPoints.Reached.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // The first sends and the order fills; its result loses to the second's newer change (the message would come back).
        firstPoints.Release();
        await Assert.ThrowsAsync<OrderConflictException>(() => firstRun);
        Assert.Equal(1, Sim.Stats.Orders);

        // The second sends the same cloid, the venue refuses it as a duplicate, and the second records last.
        secondPoints.Release();
        var summary = await secondRun;
        Assert.Equal(2, Sim.Stats.Orders); // both sends reached the venue: the race really happened
        var record = (await store.GetAsync(cloid, CancellationToken.None))!;
        Assert.True(record.Status == OrderStatus.Filled, $"{record.Status.ToWire()}: {record.Reason} ({summary})");
        Assert.Contains("(found by cloid)", record.Reason, StringComparison.Ordinal);
        Assert.NotNull(record.Venue.Oid);
        Assert.DoesNotContain(await store.ListOpenAsync(CancellationToken.None), o => o.Cloid == cloid);
    }

    /// <summary>Holds the executor at BeforeSend until released; every other point passes.</summary>
    private sealed class HeldAtBeforeSend : IExecutionCrashPoints
    {
        private readonly TaskCompletionSource _go = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _go.TrySetResult();

        public async ValueTask ReachedAsync(ExecutionCrashPoint point, string subject, CancellationToken ct)
        {
            if (point != ExecutionCrashPoint.BeforeSend) return;
            Reached.TrySetResult();
            await _go.Task.WaitAsync(ct);
        }
    }
}
