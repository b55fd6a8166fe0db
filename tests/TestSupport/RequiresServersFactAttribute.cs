using Xunit;

namespace RawMail.TestSupport;

/// <summary>
/// A fact that needs the local servers. It is skipped when servers.json is missing, except under
/// CI (CI=true), where the servers are always started, so a missing file fails the test instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresServersFactAttribute : FactAttribute
{
    public RequiresServersFactAttribute()
    {
        Skip = ServersSkipReason.Get();
    }
}

/// <summary>A theory that needs the local servers, skipped like <see cref="RequiresServersFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresServersTheoryAttribute : TheoryAttribute
{
    public RequiresServersTheoryAttribute()
    {
        Skip = ServersSkipReason.Get();
    }
}

internal static class ServersSkipReason
{
    /// <summary>Returns why tests that need the servers are skipped, or null when they run.</summary>
    public static string? Get()
    {
        string settings = LocalServers.SettingsPath(LocalServers.StateDirectoryFromEnvironment());
        bool underCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (underCi || File.Exists(settings))
        {
            return null;
        }

        return $"{settings} not found; start the local servers with `scripts/servers start`";
    }
}
