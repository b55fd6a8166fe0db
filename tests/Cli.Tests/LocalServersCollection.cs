using RawMail.TestSupport;

namespace RawMail.Cli.Tests;

/// <summary>Tests in this collection share one <see cref="LocalServersFixture"/> and run one class at a time.</summary>
[CollectionDefinition(LocalServersFixture.CollectionName)]
public sealed class LocalServersCollection : ICollectionFixture<LocalServersFixture>
{
}
