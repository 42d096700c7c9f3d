using Microsoft.Extensions.Hosting;

namespace HyperFunctions.TestSupport;

/// <summary>Hosted services that end a host without a stop signal, for the exit-code tests of every host.</summary>
public sealed class FailingService : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        throw new InvalidOperationException("a background loop died");
    }
}

/// <summary>Asks the host to stop as soon as it has started: a stop nobody signalled.</summary>
public sealed class StoppingService(IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(lifetime.StopApplication);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
