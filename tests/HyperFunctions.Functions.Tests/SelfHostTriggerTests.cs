using Azure.Storage.Queues;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace HyperFunctions.Functions.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class SelfHostTriggerTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Queue_function_retries_failures_and_moves_a_message_to_poison_after_maxDequeueCount()
    {
        var queueName = "q" + Guid.NewGuid().ToString("N")[..10];
        var flaky = new FlakyQueueFunction { FailuresBeforeSuccess = int.MaxValue };
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Hosting:RunQueues"] = "true" }, services =>
        {
            services.AddSingleton<IFunction>(flaky);
            services.AddSingleton(new FunctionDefinition(FlakyQueueFunction.FunctionName, TriggerKind.Queue, "msg", QueueName: queueName));
            // Same semantics as host.json, with no visibility delay so the retries come straight back.
            services.AddSingleton(new HostJsonSettings(3, TimeSpan.Zero, TimeSpan.FromMilliseconds(200), 16));
        });

        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var queue = new QueueClient(azurite.ConnectionString, queueName, options);
        var poison = new QueueClient(azurite.ConnectionString, queueName + "-poison", options);
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("order-intent-1");

        await poison.CreateIfNotExistsAsync();
        using var guard = new CancellationTokenSource(HangGuard);
        Azure.Storage.Queues.Models.QueueMessage? poisoned = null;
        while (poisoned is null)
        {
            // The signal is the message arriving in the poison queue; each look is a storage round trip.
            poisoned = (await poison.ReceiveMessagesAsync(1, cancellationToken: guard.Token)).Value.FirstOrDefault();
        }
        Assert.Equal("order-intent-1", poisoned.Body.ToString());
        Assert.Equal([1L, 2L, 3L], flaky.Seen.Select(s => s.DequeueCount!.Value));
        Assert.Empty((await queue.PeekMessagesAsync(5)).Value);
    }

    [Fact]
    public async Task Queue_function_success_deletes_the_message()
    {
        var queueName = "q" + Guid.NewGuid().ToString("N")[..10];
        var flaky = new FlakyQueueFunction { FailuresBeforeSuccess = 1 };
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Hosting:RunQueues"] = "true" }, services =>
        {
            services.AddSingleton<IFunction>(flaky);
            services.AddSingleton(new FunctionDefinition(FlakyQueueFunction.FunctionName, TriggerKind.Queue, "msg", QueueName: queueName));
            services.AddSingleton(new HostJsonSettings(5, TimeSpan.Zero, TimeSpan.FromMilliseconds(200), 16));
        });
        var queue = new QueueClient(azurite.ConnectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("hello");

        var done = await flaky.Succeeded.Task.WaitAsync(HangGuard);
        Assert.Equal(("hello", (long?)2), (done.Body, done.DequeueCount));
        await app.DisposeAsync(); // stop the listener, then look: nothing left
        Assert.Empty((await queue.PeekMessagesAsync(5)).Value);
    }

    [Fact]
    public async Task Timers_run_on_their_schedule_and_only_the_lease_holder_runs_them()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var leaseContainer = "leases-" + Guid.NewGuid().ToString("N")[..8];
        var first = new CountingTimerFunction();
        var second = new CountingTimerFunction();
        Action<IServiceCollection> With(CountingTimerFunction f) => services =>
        {
            services.AddSingleton<TimeProvider>(time);
            services.AddSingleton<IFunction>(f);
            services.AddSingleton(new FunctionDefinition(CountingTimerFunction.FunctionName, TriggerKind.Timer, "timer", Schedule: "*/5 * * * * *"));
        };
        var settings = new Dictionary<string, string?> { ["Hosting:RunTimers"] = "true", ["Storage:LeaseContainer"] = leaseContainer };
        await using var a = await TestApp.StartAsync(azurite.ConnectionString, settings, With(first));
        await using var b = await TestApp.StartAsync(azurite.ConnectionString, settings, With(second));

        using var guard = new CancellationTokenSource(HangGuard);
        while (first.Runs + second.Runs < 4)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(first.FirstRun.Task, second.FirstRun.Task).WaitAsync(TimeSpan.FromMilliseconds(20), guard.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            guard.Token.ThrowIfCancellationRequested();
        }
        // The blob lease (30 s, renewed) is held by one replica: the other never fired.
        Assert.True(first.Runs == 0 || second.Runs == 0, $"both replicas ran the timer ({first.Runs} and {second.Runs})");
    }
}
