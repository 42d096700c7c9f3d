using System.CommandLine;

namespace HyperFunctions.Cli.Commands;

/// <summary><c>hf exchange …</c>: commands about /exchange requests.</summary>
public sealed class ExchangeCommand : Command
{
    public ExchangeCommand(CliContext context)
        : base("exchange", "Build and inspect Hyperliquid /exchange requests.")
    {
        Add(new ExchangePreviewCommand(context));
    }
}
