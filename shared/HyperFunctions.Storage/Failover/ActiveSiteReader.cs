using Azure;
using HyperFunctions.Domain.Failover;

namespace HyperFunctions.Storage.Failover;

/// <summary>What the state row says about one process's site: whether it is the active one.</summary>
public sealed record ActiveSiteReading(string ThisSite, string ActiveSite, FailoverState State)
{
    public bool IsActive => string.Equals(ThisSite, ActiveSite, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Reads the active-site marker from the failover state row (Failover:Table) for processes that are not the
/// coordinator (the stream keeper): no row, or no table yet, means nothing ever switched and the primary is
/// active. Storage trouble is not swallowed: the caller decides what an unreadable marker means.
/// </summary>
public sealed class ActiveSiteReader(FailoverStore store, string thisSite, string primarySite)
{
    public string ThisSite => thisSite;

    public async Task<ActiveSiteReading> ReadAsync(CancellationToken ct)
    {
        FailoverRecord record;
        try
        {
            record = (await store.ReadAsync(ct))?.Record ?? FailoverRecord.Genesis(primarySite);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            record = FailoverRecord.Genesis(primarySite); // no table yet: nothing ever switched
        }
        return new ActiveSiteReading(thisSite, record.ActiveSite, record.State);
    }
}
