namespace HyperFunctions.Configuration;

/// <summary>
/// Checks an Azure Storage connection string before any client is built from it, so a wrong account key
/// or a typo is a configuration error naming the variable instead of a FormatException deep in the SDK.
/// Messages name keys, never values: the string holds the account key.
/// Format: "Key=Value;…" as in Microsoft Learn, "Configure Azure Storage connection strings".
/// </summary>
public static class StorageConnectionString
{
    private static readonly string[] EndpointKeys =
        ["BlobEndpoint", "QueueEndpoint", "TableEndpoint", "FileEndpoint", "BlobSecondaryEndpoint", "QueueSecondaryEndpoint", "TableSecondaryEndpoint", "FileSecondaryEndpoint", "DevelopmentStorageProxyUri"];

    private static readonly HashSet<string> KnownKeys = new(
        ["DefaultEndpointsProtocol", "AccountName", "AccountKey", "EndpointSuffix", "SharedAccessSignature", "UseDevelopmentStorage", .. EndpointKeys],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The problems with <paramref name="value"/>, each prefixed with <paramref name="variable"/>; empty when usable.</summary>
    public static IReadOnlyList<string> Validate(string value, string variable)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new List<string>();
        void Fail(string problem) => errors.Add($"{variable} is malformed: {problem} (the value is not shown because it holds the account key).");

        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = segment.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                Fail($"segment {parts.Count + 1} is not Key=Value");
                continue;
            }
            var key = segment[..eq].Trim();
            if (!KnownKeys.Contains(key))
                Fail(key.Length <= 40 && key.All(char.IsAsciiLetterOrDigit) ? $"'{key}' is not a connection-string key" : $"segment {parts.Count + 1} has an unknown key");
            else if (!parts.TryAdd(key, segment[(eq + 1)..].Trim()))
                Fail($"'{key}' appears twice");
        }
        if (errors.Count > 0) return errors;
        if (parts.Count == 0)
        {
            Fail("it is empty");
            return errors;
        }

        if (parts.TryGetValue("UseDevelopmentStorage", out var dev))
        {
            if (!string.Equals(dev, "true", StringComparison.OrdinalIgnoreCase)) Fail("UseDevelopmentStorage must be true when present");
            if (parts.Keys.Any(k => !k.Equals("UseDevelopmentStorage", StringComparison.OrdinalIgnoreCase) && !k.Equals("DevelopmentStorageProxyUri", StringComparison.OrdinalIgnoreCase)))
                Fail("UseDevelopmentStorage=true takes no other keys than DevelopmentStorageProxyUri");
        }
        else
        {
            if (parts.TryGetValue("DefaultEndpointsProtocol", out var protocol) && protocol is not ("http" or "https"))
                Fail("DefaultEndpointsProtocol must be http or https");
            var hasKey = parts.TryGetValue("AccountKey", out var accountKey);
            if (hasKey && (accountKey!.Length == 0 || !IsBase64(accountKey)))
                Fail("AccountKey is not valid base64 (copy the whole key from the storage account's Access keys)");
            if (hasKey && !parts.ContainsKey("AccountName"))
                Fail("AccountKey needs AccountName");
            if (!hasKey && !parts.ContainsKey("SharedAccessSignature"))
                Fail("it needs AccountName and AccountKey, or SharedAccessSignature");
            var explicitEndpoints = new[] { "BlobEndpoint", "QueueEndpoint", "TableEndpoint" }.All(parts.ContainsKey);
            if (!parts.ContainsKey("AccountName") && !explicitEndpoints)
                Fail("without AccountName it needs BlobEndpoint, QueueEndpoint and TableEndpoint");
        }

        foreach (var key in EndpointKeys)
        {
            if (parts.TryGetValue(key, out var endpoint)
                && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
                Fail($"{key} is not an absolute http(s) URL");
        }
        return errors;
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out var written) && written > 0;
    }
}
