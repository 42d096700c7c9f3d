using System.Net.Sockets;
using System.Runtime.InteropServices;
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

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        HyperliquidSimulator simulator;
        try
        {
            simulator = await HyperliquidSimulator.StartAsync(arguments.ToOptions());
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
            if (simulator.CopyTarget is { } bot)
            {
                await output.WriteLineAsync($"  Copy target {bot.Address} trades {bot.Coin} every {bot.Interval.TotalSeconds:0} s");
            }

            await output.WriteLineAsync("Press Ctrl+C to stop.");
            await stop.Task;
            await output.WriteLineAsync("Stopping.");
        }

        return ExitOk;
    }
}
