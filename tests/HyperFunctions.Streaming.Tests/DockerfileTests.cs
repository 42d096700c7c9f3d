using HyperFunctions.TestSupport;

namespace HyperFunctions.Streaming.Tests;

/// <summary>
/// No container engine runs here, so the keeper's Dockerfile is checked as text: multi-stage, the runtime
/// stage holds only the published keeper and runs it as a non-root user, and every path it copies exists.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly string Root = RepositoryRoot.Find();
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(Root, "functions/HyperFunctions.Keeper/Dockerfile"))
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    private static List<List<string>> Stages()
    {
        var stages = new List<List<string>>();
        foreach (var line in Lines)
        {
            if (line.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase)) stages.Add([]);
            stages[^1].Add(line);
        }
        return stages;
    }

    [Fact]
    public void It_is_multi_stage_sdk_then_aspnet_runtime()
    {
        var stages = Stages();
        Assert.Equal(2, stages.Count);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", stages[0][0], StringComparison.Ordinal);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", stages[1][0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_build_stage_publishes_the_keeper_project_and_the_runtime_stage_copies_only_its_output()
    {
        var (build, runtime) = (Stages()[0], Stages()[1]);
        Assert.Contains(build, l => l.StartsWith("RUN dotnet publish functions/HyperFunctions.Keeper/HyperFunctions.Keeper.csproj -c Release -o /app/publish", StringComparison.Ordinal));
        var copies = runtime.Where(l => l.StartsWith("COPY", StringComparison.Ordinal)).ToList();
        Assert.Equal(["COPY --from=build /app/publish/ ./"], copies);
        Assert.Contains(runtime, l => l == "ENTRYPOINT [\"dotnet\", \"HyperFunctions.Keeper.dll\"]");
    }

    [Fact]
    public void The_runtime_stage_runs_as_a_non_root_user()
    {
        var users = Stages()[1].Where(l => l.StartsWith("USER ", StringComparison.Ordinal)).Select(l => l[5..].Trim()).ToList();
        var user = Assert.Single(users);
        Assert.DoesNotContain(user.Split(':')[0], new[] { "root", "0" });
        // USER must come before ENTRYPOINT so the keeper itself runs unprivileged.
        var runtime = Stages()[1];
        Assert.True(runtime.FindIndex(l => l.StartsWith("USER ", StringComparison.Ordinal)) < runtime.FindIndex(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_path_the_build_copies_exists_in_the_repository()
    {
        foreach (var line in Stages()[0].Where(l => l.StartsWith("COPY ", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in parts[1..^1])
            {
                var path = Path.Combine(Root, source);
                Assert.True(File.Exists(path) || Directory.Exists(path), $"{line}: '{source}' does not exist");
            }
        }
        // Local build output never enters the image's build context.
        var ignore = File.ReadAllLines(Path.Combine(Root, ".dockerignore"));
        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
        // The keeper's project references only what the COPY lines bring in (shared/ and the keeper itself).
        var csproj = File.ReadAllText(Path.Combine(Root, "functions/HyperFunctions.Keeper/HyperFunctions.Keeper.csproj"));
        Assert.DoesNotContain("../../tests/", csproj, StringComparison.Ordinal);
        Assert.DoesNotContain("HyperFunctions.Functions.csproj", csproj, StringComparison.Ordinal);
    }
}
