namespace HyperFunctions.Dns;

/// <summary>
/// One DNS provider's REST API, reduced to what a failover needs: find the one record of a name and type, and change its
/// content while keeping its TTL. Implementations: <see cref="Providers.CloudflareDnsProvider"/>,
/// <see cref="Providers.DigitalOceanDnsProvider"/>, <see cref="Providers.AzureDnsProvider"/>.
/// </summary>
public interface IDnsProvider
{
    /// <summary>The provider's configuration name (<c>cloudflare</c>, <c>digitalocean</c>, <c>azure</c>).</summary>
    string Name { get; }

    /// <summary>The record <paramref name="name"/> (fully qualified) of <paramref name="type"/> in <paramref name="zone"/>, or null when there is none.</summary>
    /// <exception cref="DnsProviderException">The provider refused or failed, or the name has more than one record of the type.</exception>
    Task<DnsRecord?> FindRecordAsync(string zone, string name, DnsRecordType type, CancellationToken cancellationToken);

    /// <summary>Sets the record's content to <paramref name="newContent"/>; the TTL stays what it was. Returns the record as the provider now holds it.</summary>
    /// <exception cref="DnsProviderException">The provider refused or failed; nothing was changed unless the provider says so.</exception>
    Task<DnsRecord> UpdateRecordAsync(DnsRecord record, string newContent, CancellationToken cancellationToken);
}

/// <summary>A record as its provider holds it.</summary>
/// <param name="Id">The provider's id of the record (Cloudflare and DigitalOcean), or the record set's resource id (Azure).</param>
/// <param name="Zone">The zone it was found in, as configured (zone id, domain or zone name).</param>
/// <param name="Name">The fully qualified name.</param>
/// <param name="Content">The record's content; for an Azure record set of several addresses, all of them comma-separated.</param>
/// <param name="Ttl">The TTL in seconds as the provider reports it (Cloudflare's 1 means "automatic").</param>
/// <param name="ETag">The record set's ETag (Azure), sent back as If-Match so a concurrent change is never overwritten.</param>
public sealed record DnsRecord(string Id, string Zone, string Name, DnsRecordType Type, string Content, int Ttl, string? ETag = null);

/// <summary>
/// A provider call that failed. The message names the provider, the operation and the cause, and never contains the token.
/// </summary>
public sealed class DnsProviderException : Exception
{
    public DnsProviderException() { }

    public DnsProviderException(string message) : base(message) { }

    public DnsProviderException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The HTTP status the provider answered with, when it answered.</summary>
    public int? StatusCode { get; init; }

    /// <summary>True when the provider refused the credentials (401/403) or no credentials were available.</summary>
    public bool IsAuthenticationFailure { get; init; }
}
