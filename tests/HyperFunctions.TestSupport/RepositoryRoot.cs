namespace HyperFunctions.TestSupport;

/// <summary>Finds the repository root (the folder holding HyperFunctions.sln) from the test's output folder.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HyperFunctions.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No HyperFunctions.sln above {AppContext.BaseDirectory}.");
    }
}
