namespace HyperFunctions.Cli;

/// <summary>
/// Everything a command may touch outside itself. Tests pass their own writers, environment and file reader,
/// so commands run in-process without changing the real process environment.
/// </summary>
public sealed record CliContext(
    TextWriter Out,
    TextWriter Error,
    Func<string, string?> GetEnvironmentVariable,
    Func<string, string> ReadFile)
{
    public static CliContext FromProcess() =>
        new(Console.Out, Console.Error, Environment.GetEnvironmentVariable, File.ReadAllText);
}
