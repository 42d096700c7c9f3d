using HyperFunctions.TestSupport;

namespace HyperFunctions.Streaming.Tests.Support;

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "keeper-azurite";
}
