using Xunit;

namespace HyperFunctions.TestSupport;

/// <summary>One Azurite shared by a test collection; tests isolate themselves with unique table/queue names.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public AzuriteInstance Azurite { get; private set; } = null!;

    public string ConnectionString => Azurite.ConnectionString;

    public async Task InitializeAsync() => Azurite = await AzuriteInstance.StartNewAsync();

    public async Task DisposeAsync() => await Azurite.DisposeAsync();

    /// <summary>A table/queue name no other test uses.</summary>
    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];
}
