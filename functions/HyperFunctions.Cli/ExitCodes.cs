namespace HyperFunctions.Cli;

/// <summary>Process exit codes shared by every hf command (documented in docs/cli.md).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Something failed that is not the caller's input (unexpected error).</summary>
    public const int Failure = 1;

    /// <summary>The command line, an input value or the environment (e.g. a missing key) is invalid.</summary>
    public const int InvalidInput = 2;
}
