using RawMail.Protocols.Imap;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Imap.Tests.Client;

public sealed class SessionTests
{
    [Fact]
    public async Task Greeting_CapabilityCodeIsUsed()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1 IDLE LITERAL+] ready\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        Assert.True(client.HasCapability("LITERAL+"));
        Assert.Equal(ImapSessionState.NotAuthenticated, client.State);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Greeting_WithoutCapabilitiesAsksForThem()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK ready\r\n")
            .Expect("A0001 CAPABILITY\r\n")
            .Send("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA0001 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        Assert.True(client.HasCapability("AUTH=PLAIN"));
    }

    [Fact]
    public async Task Greeting_PreAuthIsAuthenticated()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1] welcome back\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        Assert.Equal(ImapSessionState.Authenticated, client.State);
    }

    [Fact]
    public async Task Greeting_ByeFails()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* BYE too many connections\r\n")
            .Start();

        var ex = await Assert.ThrowsAsync<MailProtocolException>(() => ClientHarness.ConnectAsync(server));

        Assert.Equal(ProtocolErrorReason.ServerShutdown, ex.Reason);
    }

    [Fact]
    public async Task UntaggedBye_FailsPendingCommandAtOnce()
    {
        // Yandex sends its autologout as an untagged BYE while a command is outstanding.
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK IMAP4rev1 server ready\r\n")
            .Expect("A0001 CAPABILITY\r\n")
            .Send("* BYE Autologout; idle for too long\r\n")
            .Start();

        var ex = await Assert.ThrowsAsync<MailProtocolException>(() => ClientHarness.ConnectAsync(server));

        Assert.Equal(ProtocolErrorReason.ServerShutdown, ex.Reason);
        Assert.Equal("Connection closed by server: Autologout; idle for too long", ex.Message);
    }

    [Fact]
    public async Task UntaggedBye_ClosesTheSession()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            .Expect("A0001 NOOP\r\n")
            .Send("* BYE\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        await Assert.ThrowsAsync<MailProtocolException>(() => client.NoopAsync());

        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Logout_TaggedByeIsSuccess()
    {
        // imap.wp.pl completes LOGOUT with a tagged BYE instead of an untagged BYE and a tagged OK.
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            .Expect("A0001 LOGOUT\r\n")
            .Send("A0001 BYE IMAP4rev1 Server logging out\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        await client.LogoutAsync();

        Assert.Equal(ImapSessionState.LoggedOut, client.State);
    }

    [Fact]
    public async Task Logout_ByeThenCloseIsSuccess()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            .Expect("A0001 LOGOUT\r\n")
            .Send("* BYE logging out\r\n")
            .Close()
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        await client.LogoutAsync();

        Assert.Equal(ImapSessionState.LoggedOut, client.State);
    }

    [Fact]
    public async Task TaggedNo_CarriesResponseCode()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            .Expect("A0001 SELECT Archive\r\n")
            .Send("A0001 NO [NONEXISTENT] no such mailbox\r\n")
            .Expect("A0002 NOOP\r\n")
            .Send("A0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<ImapCommandException>(() => client.SelectAsync("Archive"));
        await client.NoopAsync();

        Assert.Equal(CommandErrorReason.No, ex.Reason);
        Assert.Equal(Protocols.Imap.Model.ResponseCodeKind.NonExistent, ex.CodeKind);
        Assert.Equal("no such mailbox", ex.ResponseText);
    }

    [Fact]
    public async Task Alert_RaisesEvent()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            .Expect("A0001 NOOP\r\n")
            .Send("* OK [ALERT] Mailbox almost full\r\nA0001 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        var alerts = new List<string>();
        client.Alert += (_, e) => alerts.Add(e.Text);

        await client.NoopAsync();

        Assert.Equal(["Mailbox almost full"], alerts);
    }

    [Fact]
    public async Task CommandArgument_LineBreakIsRejectedBeforeSending()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        await Assert.ThrowsAsync<ArgumentException>(() => client.CreateMailboxAsync("a\r\nA0002 DELETE INBOX"));

        Assert.Empty(server.Received);
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    [InlineData("a\0b")]
    public async Task SearchValue_LineBreakOrNulIsRejected(string value)
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        await Assert.ThrowsAsync<ArgumentException>(() => client.SearchAsync(SearchQuery.Subject(value)));

        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task EventHandlerException_ClosesConnection()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            .Expect("A0001 NOOP\r\n")
            .Send("* OK [ALERT] first\r\n* OK [ALERT] second\r\nA0001 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        client.Alert += (_, _) => throw new InvalidOperationException("handler failed");

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.NoopAsync());

        Assert.False(client.IsConnected);
    }
}
