using System.Globalization;
using System.Net;
using HyperFunctions.Simulator.Core;

namespace HyperFunctions.Simulator.Cli;

/// <summary>Command line of the standalone simulator.</summary>
internal sealed record SimulatorArguments
{
    public const string Usage = """
        Usage: HyperFunctions.Simulator [options]
          --port <0-65535>        TCP port (default 5050; 0 = any free port)
          --seed <int>            random seed of the market (default 42)
          --host <ip|localhost>   address to bind (default 127.0.0.1)
          --idle-timeout <s>      close WebSockets idle for this many seconds (default 60)
          --tick-ms <ms>          market step interval in milliseconds (default 1000; 0 = frozen)
          --weight-per-minute <n> REST weight budget per IP per minute (default 1200)
          --account <0x..>        register an extra account (repeatable); the dev account is always there
          --auto-register         accept any signer, creating its account on first use
          --copy-target <s>       a copy-target bot account (0x7099…79c8) trades 0.002 BTC every <s> seconds (default off)
          --testnet               verify signatures with the testnet source "b" (default mainnet "a")
          --no-greeting           do not send "Websocket connection established." on connect
          --verbose               log every connection
          --help                  show this text
        """;

    public int Port { get; init; } = 5050;

    public int Seed { get; init; } = 42;

    public string Host { get; init; } = "127.0.0.1";

    public int IdleTimeoutSeconds { get; init; } = 60;

    public int TickMs { get; init; } = 1000;

    public int WeightPerMinute { get; init; } = 1200;

    public IReadOnlyList<string> Accounts { get; init; } = [];

    public bool AutoRegister { get; init; }

    /// <summary>Seconds between the copy-target bot's trades; 0: no bot.</summary>
    public int CopyTargetSeconds { get; init; }

    public bool Testnet { get; init; }

    public bool NoGreeting { get; init; }

    public bool Verbose { get; init; }

    public bool Help { get; init; }

    /// <summary>Parses the arguments; on failure returns null and a message naming the bad argument.</summary>
    public static SimulatorArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var result = new SimulatorArguments();
        var accounts = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new FormatException($"{name} needs a value.");
                }

                return args[++i];
            }

            try
            {
                result = name switch
                {
                    "--port" => result with { Port = Int(name, Value(), 0, 65535) },
                    "--seed" => result with { Seed = Int(name, Value(), int.MinValue, int.MaxValue) },
                    "--host" => result with { Host = HostValue(Value()) },
                    "--idle-timeout" => result with { IdleTimeoutSeconds = Int(name, Value(), 1, 86_400) },
                    "--tick-ms" => result with { TickMs = Int(name, Value(), 0, 3_600_000) },
                    "--weight-per-minute" => result with { WeightPerMinute = Int(name, Value(), 1, 1_000_000) },
                    "--account" => AddAccount(result, accounts, Value()),
                    "--auto-register" => result with { AutoRegister = true },
                    "--copy-target" => result with { CopyTargetSeconds = Int(name, Value(), 1, 86_400) },
                    "--testnet" => result with { Testnet = true },
                    "--no-greeting" => result with { NoGreeting = true },
                    "--verbose" => result with { Verbose = true },
                    "--help" or "-h" or "-?" => result with { Help = true },
                    _ => throw new FormatException($"Unknown argument '{name}'."),
                };
            }
            catch (FormatException ex)
            {
                error = ex.Message;
                return null;
            }
        }

        return result with { Accounts = accounts };
    }

    public SimulatorOptions ToOptions() => new()
    {
        Port = Port,
        Seed = Seed,
        Host = Host,
        IdleTimeout = TimeSpan.FromSeconds(IdleTimeoutSeconds),
        MarketTickInterval = TimeSpan.FromMilliseconds(TickMs),
        RestWeightPerMinute = WeightPerMinute,
        Accounts = [SimulatorAccount.Dev, .. Accounts.Where(a => a != SimulatorAccount.Dev.Address).Select(a => new SimulatorAccount(a))],
        AutoRegisterSigners = AutoRegister,
        CopyTargetBot = CopyTargetSeconds > 0 ? new CopyTargetBotOptions(CopyTargetBotOptions.DefaultAddress) { Interval = TimeSpan.FromSeconds(CopyTargetSeconds) } : null,
        IsMainnet = !Testnet,
        SendConnectionEstablished = !NoGreeting,
        LogLevel = Verbose ? Microsoft.Extensions.Logging.LogLevel.Information : Microsoft.Extensions.Logging.LogLevel.Warning,
    };

    private static SimulatorArguments AddAccount(SimulatorArguments result, List<string> accounts, string value)
    {
        if (!Addresses.TryNormalizeAddress(value, out var address))
        {
            throw new FormatException($"--account '{value}' is not 0x followed by 40 hex digits.");
        }

        accounts.Add(address);
        return result;
    }

    private static int Int(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            throw new FormatException($"{name} '{value}' must be an integer within {min}..{max}.");
        }

        return number;
    }

    private static string HostValue(string value)
    {
        if (!string.Equals(value, "localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(value, out _))
        {
            throw new FormatException($"--host '{value}' must be an IP address or 'localhost'.");
        }

        return value;
    }
}
