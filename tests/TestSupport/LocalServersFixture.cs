namespace RawMail.TestSupport;

/// <summary>
/// Shared <see cref="LocalServers"/> for an xunit collection. The test assembly declares the
/// collection, because xunit 2 finds collection definitions only in the test assembly:
/// <c>[CollectionDefinition(LocalServersFixture.CollectionName)]</c> on a class implementing
/// <c>ICollectionFixture&lt;LocalServersFixture&gt;</c>.
/// </summary>
public sealed class LocalServersFixture : IDisposable
{
    public const string CollectionName = "Local servers";

    public LocalServersFixture()
    {
        Servers = LocalServers.Load();
    }

    public LocalServers Servers { get; }

    public void Dispose() => Servers.Dispose();
}
