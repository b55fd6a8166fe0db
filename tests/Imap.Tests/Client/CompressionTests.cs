using RawMail.Protocols.Imap;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Imap.Tests.Client;

public sealed class CompressionTests
{
    [Fact]
    public async Task Compress_WithoutCapabilityIsNotSupported()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1] ready\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<MailCommandException>(() => client.CompressAsync());

        Assert.Equal(CommandErrorReason.NotSupported, ex.Reason);
        Assert.Empty(server.Received);
    }

    [Theory]
    [InlineData("NO", CommandErrorReason.No)]
    [InlineData("BAD", CommandErrorReason.Bad)]
    public async Task Compress_RejectedStaysUncompressed(string status, CommandErrorReason expected)
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE] ready\r\n")
            .Expect("A0001 COMPRESS DEFLATE\r\n")
            .Send($"A0001 {status} [COMPRESSIONACTIVE] not now\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<ImapCommandException>(() => client.CompressAsync());

        Assert.Equal(expected, ex.Reason);
        Assert.False(client.IsCompressed);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Compress_AcceptedSwitchesConnection()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE] ready\r\n")
            .Expect("A0001 COMPRESS DEFLATE\r\n")
            .Send("A0001 OK DEFLATE active\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        await client.CompressAsync();

        Assert.True(client.IsCompressed);
    }

    [Fact]
    public async Task Compress_SecondCallThrows()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE] ready\r\n")
            .Expect("A0001 COMPRESS DEFLATE\r\n")
            .Send("A0001 OK DEFLATE active\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        await client.CompressAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.CompressAsync());
    }
}
