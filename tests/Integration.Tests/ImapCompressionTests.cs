using RawMail.Protocols.Imap;
using RawMail.Protocols.Imap.Model;
using RawMail.TestSupport;
using RawMail.Transport.Diagnostics;

namespace RawMail.Integration.Tests;

/// <summary>COMPRESS=DEFLATE (RFC 4978) against the local Dovecot, inside TLS.</summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed class ImapCompressionTests(LocalServersFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    [RequiresServersFact]
    public async Task Compress_CommandsWorkAfterSwitch()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        CancellationToken ct = timeout.Token;
        var log = new StringWriter();
        await using ImapClient client = await ImapTestSession.OpenRobotAsync(fixture.Servers, ct,
            log: new ProtocolLog(log));
        if (!client.HasCapability("COMPRESS=DEFLATE") && !ConfigEnablesCompression())
        {
            // Servers started by an older scripts/servers lack the imap_zlib plugin. Every fresh start loads it.
            return;
        }

        string name = ImapTestSession.UniqueName("deflate");

        await client.CompressAsync(ct);
        await client.CreateMailboxAsync(name, ct);
        IReadOnlyList<MailboxInfo> created = await client.ListAsync(name, cancellationToken: ct);
        MailboxStatus status = await client.GetStatusAsync(name, StatusItems.Messages, ct);
        await client.DeleteMailboxAsync(name, ct);
        await client.NoopAsync(ct);

        Assert.True(client.IsCompressed);
        Assert.Equal(name, Assert.Single(created).Name);
        Assert.Equal(0u, status.Messages);
        Assert.Contains("DELETE", log.ToString(), StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task Compress_SecondCallThrows()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await using ImapClient client = await ImapTestSession.OpenRobotAsync(fixture.Servers, timeout.Token);
        if (!client.HasCapability("COMPRESS=DEFLATE") && !ConfigEnablesCompression())
        {
            return;
        }

        await client.CompressAsync(timeout.Token);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.CompressAsync(timeout.Token));
    }

    /// <summary>
    /// True when the running Dovecot was started with a config that loads imap_zlib, so the capability must be
    /// offered.
    /// </summary>
    private bool ConfigEnablesCompression()
    {
        string config = Path.Combine(fixture.Servers.StateDirectory, "dovecot", "dovecot.conf");
        return File.Exists(config) && File.ReadAllText(config).Contains("imap_zlib", StringComparison.Ordinal);
    }
}
