using System.Text.RegularExpressions;

namespace HyperFunctions.Dns;

/// <summary>
/// Where the provider token is read from: the process environment, and nowhere else. Injectable so a test gives each
/// case its own variables instead of changing the shared process environment.
/// </summary>
public sealed partial class DnsEnvironment(Func<string, string?> read)
{
    public static DnsEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>The value of <paramref name="variable"/>, or null when it is unset or blank.</summary>
    public string? Read(string variable)
    {
        var value = read(variable);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>The token in <paramref name="variable"/>; a missing one is a <see cref="DnsProviderException"/> naming the variable (never a value).</summary>
    public string RequireToken(string provider, string variable) =>
        Read(variable) ?? throw new DnsProviderException(
            $"The {provider} API token is missing: set the environment variable {variable} (Failover:Dns:TokenVariable names it).")
        { IsAuthenticationFailure = true };

    /// <summary>A portable environment variable name: letters, digits and underscores, not starting with a digit.</summary>
    public static bool IsVariableName(string? name) => name is not null && VariableName().IsMatch(name);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();
}
