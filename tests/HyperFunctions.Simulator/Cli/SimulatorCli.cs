using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace HyperFunctions.Simulator.Cli;

/// <summary>The standalone entry point: parse, start, print the URLs, run until Ctrl+C.</summary>
internal static class SimulatorCli
{
    public const int ExitOk = 0;
    public const int ExitUsage = 2;
    public const int ExitStartFailed = 3;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var arguments = SimulatorArguments.Parse(args, out var error);
        if (arguments is null)
        {
            await errors.WriteLineAsync($"error: {error}");
            await errors.WriteLineAsync(SimulatorArguments.Usage);
            return ExitUsage;
        }

        if (arguments.Help)
        {
            await output.WriteLineAsync(SimulatorArguments.Usage);
            return ExitOk;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

        HyperliquidSimulator simulator;
        try
        {
            simulator = await HyperliquidSimulator.StartAsync(arguments.ToOptions(), stop.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or AddressInUseException or ArgumentException)
        {
            await errors.WriteLineAsync($"error: cannot start the simulator on {arguments.Host}:{arguments.Port}: {ex.Message}");
            return ExitStartFailed;
        }

        await using (simulator)
        {
            await output.WriteLineAsync($"Hyperliquid simulator (seed {arguments.Seed}, {(arguments.Testnet ? "testnet" : "mainnet")} signatures)");
            await output.WriteLineAsync($"  REST    {simulator.RestUrl}  (POST /info, POST /exchange)");
            await output.WriteLineAsync($"  WS      {simulator.WsUrl}");
            await output.WriteLineAsync($"  Control {simulator.RestUrl}_sim/state, {simulator.RestUrl}_sim/faults");
            await output.WriteLineAsync($"  Dev account {SimulatorAccount.Dev.Address} (key {SimulatorAccount.DevPrivateKey}, test only)");
            await output.WriteLineAsync("Press Ctrl+C to stop.");
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, stop.Token);
            }
            catch (OperationCanceledException)
            {
                await output.WriteLineAsync("Stopping.");
            }
        }

        return ExitOk;
    }
}
