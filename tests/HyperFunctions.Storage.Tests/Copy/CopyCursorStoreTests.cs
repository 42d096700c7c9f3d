using Azure.Data.Tables;
using HyperFunctions.Domain.Copy;
using HyperFunctions.Storage.Copy;
using HyperFunctions.TestSupport;

namespace HyperFunctions.Storage.Tests.Copy;

[Collection(AzuriteCollection.Name)]
public sealed class CopyCursorStoreTests(AzuriteFixture azurite)
{
    private const string Target = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private CopyCursorStore NewStore(string table) => new(new TableClient(azurite.ConnectionString, table), "test");

    [Fact]
    public async Task The_cursor_is_created_once_and_two_replicas_moving_it_from_the_same_read_advance_it_once()
    {
        var table = AzuriteFixture.UniqueName("Cursors");
        Assert.Null(await NewStore(table).ReadAsync(Target, CancellationToken.None));
        var created = await NewStore(table).WriteAsync(Target, null, CopyPosition.At(1000), T0, CancellationToken.None);
        await Assert.ThrowsAsync<CopyCursorConflictException>(() => NewStore(table).WriteAsync(Target, null, CopyPosition.At(999), T0, CancellationToken.None));

        var read = (await NewStore(table).ReadAsync(Target, CancellationToken.None))!;
        Assert.Equal(CopyPosition.At(1000), read.Position);
        var moved = await NewStore(table).WriteAsync(Target, read, new CopyPosition(1005, 3, "0xh-3"), T0.AddSeconds(1), CancellationToken.None);
        await Assert.ThrowsAsync<CopyCursorConflictException>(() => NewStore(table).WriteAsync(Target, read, new CopyPosition(1009, 4, "0xh-4"), T0.AddSeconds(1), CancellationToken.None));

        var final = (await NewStore(table).ReadAsync(Target, CancellationToken.None))!;
        Assert.Equal(new CopyPosition(1005, 3, "0xh-3"), final.Position);
        Assert.Equal(moved.ETag, final.ETag);
        Assert.NotEqual(created.ETag, final.ETag);
    }
}
