using HyperFunctions.Cli;

namespace HyperFunctions.Functions.Tests.Cli;

internal sealed record HfRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs the hf command tree in-process with captured output and exactly <paramref name="environment"/> as its environment.</summary>
    public static async Task<HfRun> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error, name => environment.TryGetValue(name, out var value) ? value : null,
            path => throw new FileNotFoundException($"hf read no file in these tests, but asked for '{path}'."));
        var exitCode = await HfCli.RunAsync(args, context);
        return new HfRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>The environment of an operator with the admin key, pointed at <paramref name="app"/> (served on a real port).</summary>
    public static Dictionary<string, string> AdminEnvironment(TestApp app) => new()
    {
        [ApiKeyVariables.Admin] = TestApp.AdminKey,
        ["HF_API_URL"] = app.Address!.ToString(),
    };

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
