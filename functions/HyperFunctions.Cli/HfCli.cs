using System.CommandLine;
using System.CommandLine.Invocation;
using HyperFunctions.Cli.Commands;

namespace HyperFunctions.Cli;

/// <summary>Builds the hf command tree and runs it; new command groups are added in <see cref="BuildRootCommand"/>.</summary>
public static class HfCli
{
    public static RootCommand BuildRootCommand(CliContext context)
    {
        var root = new RootCommand("hf — HyperFunctions operations CLI");
        root.Add(new CancelCommand(context));
        root.Add(new ExchangeCommand(context));
        root.Add(new HaltCommand(context));
        root.Add(new PromoteCommand(context));
        root.Add(new StatusCommand(context));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args, CliContext context) =>
        RunAsync(args, context, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code. Commands that call the API run asynchronously.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = BuildRootCommand(context);
        // Response files are off: "@path" is how --action takes a file, and must reach the option unexpanded.
        var parseResult = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

        // Parse errors get our exit code (2) and a terse message instead of System.CommandLine's default (1 + full help).
        if (parseResult.Action is ParseErrorAction)
        {
            foreach (var error in parseResult.Errors)
            {
                context.Error.WriteLine($"hf: {error.Message}");
            }

            context.Error.WriteLine("Run with --help for usage.");
            return ExitCodes.InvalidInput;
        }

        var configuration = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            // Commands report their own failures; a stack trace could carry input values we must not print.
            EnableDefaultExceptionHandler = false,
        };

        try
        {
            return await parseResult.InvokeAsync(configuration, ct);
        }
        catch (CliInputException ex)
        {
            context.Error.WriteLine($"hf: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (ApiCallException ex)
        {
            context.Error.WriteLine($"hf: {ex.Message}");
            return ex.ExitCode;
        }
#pragma warning disable CA1031 // Last-resort handler: anything unexpected becomes one line and exit 1, never a stack dump.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            context.Error.WriteLine($"hf: unexpected error ({ex.GetType().Name}): {ex.Message}");
            return ExitCodes.Failure;
        }
    }
}
