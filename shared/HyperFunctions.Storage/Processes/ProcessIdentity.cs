using System.Reflection;
using System.Security.Cryptography;

namespace HyperFunctions.Storage.Processes;

/// <summary>Who this process is, as it registers itself: fixed for the life of the process.</summary>
/// <param name="ProcessId">Unique per process start (machine name and PID repeat across restarts and hosts).</param>
/// <param name="Site">The failover site the process runs on (Failover:Site); null when failover is off (or a row of an older build).</param>
public sealed record ProcessIdentity(
    string ProcessId, string HostingMode, string MachineName, int Pid, string BuildVersion, string ConfigHash, DateTimeOffset StartedAt, string? Site = null)
{
    public static ProcessIdentity ForThisProcess(string hostingMode, string configHash, DateTimeOffset startedAt, string? site = null) =>
        new(
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            hostingMode,
            Environment.MachineName,
            Environment.ProcessId,
            BuildVersionOf(Assembly.GetEntryAssembly() ?? typeof(ProcessIdentity).Assembly),
            configHash,
            startedAt,
            site);

    private static string BuildVersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}
