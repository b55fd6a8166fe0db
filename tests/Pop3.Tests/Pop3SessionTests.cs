using System.Text;
using RawMail.TestSupport;
using RawMail.Transport;
using static RawMail.Protocols.Pop3.Tests.ScriptedPop3;

namespace RawMail.Protocols.Pop3.Tests;

public sealed class Pop3SessionTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Greeting_MsgIdIsApopTimestamp()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n")
            .Expect("CAPA\r\n")
            .Send("-ERR unknown command\r\n");

        await using Pop3Client client = await ConnectAsync(server);

        Assert.Equal("<1896.697170952@dbc.mtview.ca.us>", client.ApopTimestamp);
        Assert.Equal("POP3 server ready <1896.697170952@dbc.mtview.ca.us>", client.Greeting);
    }

    [Fact]
    public async Task Greeting_HostInBracketsIsNotApop()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("+OK Example POP3 server ready <mail.example.net>\r\n")
            .Expect("CAPA\r\n")
            .Send("-ERR unknown command\r\n");
        await using Pop3Client client = await ConnectAsync(server, Options(server, allowApop: true));

        var ex = await Assert.ThrowsAsync<MailCommandException>(() => client.LoginApopAsync("alice", "secret", None));

        Assert.Null(client.ApopTimestamp);
        Assert.Equal(CommandErrorReason.NotSupported, ex.Reason);
        Assert.Equal("CAPA\r\n", Encoding.ASCII.GetString(server.Received));
    }

    [Fact]
    public async Task Apop_SendsDigest()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n")
            .Expect("CAPA\r\n")
            .Send("-ERR unknown command\r\n")
            .Expect("APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n")
            .Send("+OK maildrop has 1 message (369 octets)\r\n");
        await using Pop3Client client = await ConnectAsync(server, Options(server, allowApop: true));

        await client.LoginApopAsync("mrose", "tanstaaf", None);

        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task Apop_NotAllowed_Throws()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n")
            .Expect("CAPA\r\n")
            .Send("-ERR unknown command\r\n");
        await using Pop3Client client = await ConnectAsync(server);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.LoginApopAsync("mrose", "tanstaaf", None));
    }

    [Fact]
    public async Task NoCapa_EmptyCapabilities()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send("-ERR\r\n");

        await using Pop3Client client = await ConnectAsync(server);

        Assert.False(client.Capabilities.IsAdvertised);
        Assert.Empty(client.Capabilities.SaslMechanisms);
    }

    [Fact]
    public async Task Capa_ListParsed()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send(DovecotCapa);

        await using Pop3Client client = await ConnectAsync(server);

        Assert.True(client.Capabilities.SupportsPipelining);
        Assert.Equal(["PLAIN", "LOGIN", "XOAUTH2", "OAUTHBEARER"], client.Capabilities.SaslMechanisms);
    }

    [Fact]
    public async Task GreetingErr_ThrowsWithCode()
    {
        await using ScriptedServer server = new ScriptedServer().Send("-ERR [SYS/TEMP] try later\r\n");

        var ex = await Assert.ThrowsAsync<Pop3CommandException>(() => ConnectAsync(server));

        Assert.Equal(Pop3ResponseCode.SystemTemporary, ex.ResponseCode);
        Assert.Equal(CommandErrorReason.TransientFailure, ex.Reason);
    }

    [Fact]
    public async Task GreetingNotPop3_MalformedResponse()
    {
        await using ScriptedServer server = new ScriptedServer().Send("* OK IMAP4rev1 ready\r\n");

        var ex = await Assert.ThrowsAsync<MailProtocolException>(() => ConnectAsync(server));

        Assert.Equal(ProtocolErrorReason.MalformedResponse, ex.Reason);
    }

    [Fact]
    public async Task Stls_UpgradesAndRereadsCapa()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send("+OK\r\nSTLS\r\nUSER\r\n.\r\n")
            .Expect("STLS\r\n")
            .Send("+OK Begin TLS negotiation now.\r\n")
            .UpgradeToTls(TestCertificates.Shared.Server)
            .Expect("CAPA\r\n")
            .Send("+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n");

        await using Pop3Client client = await ConnectAsync(server, Options(server, TlsMode.StartTls));

        Assert.True(client.IsEncrypted);
        Assert.False(client.Capabilities.SupportsStls);
        Assert.Equal(["PLAIN"], client.Capabilities.SaslMechanisms);
    }

    [Fact]
    public async Task Stls_InjectedLineAfterOk_Rejected()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send("+OK\r\nSTLS\r\n.\r\n")
            .Expect("STLS\r\n")
            .Send("+OK Begin TLS\r\n+OK injected\r\n");

        var ex = await Assert.ThrowsAsync<MailProtocolException>(
            () => ConnectAsync(server, Options(server, TlsMode.StartTls)));

        Assert.Equal(ProtocolErrorReason.PlaintextAfterStartTls, ex.Reason);
    }

    [Fact]
    public async Task Stls_Refused_NoPlainTextFallback()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send("-ERR\r\n")
            .Expect("STLS\r\n")
            .Send("-ERR TLS not available\r\n");

        var ex = await Assert.ThrowsAsync<MailProtocolException>(
            () => ConnectAsync(server, Options(server, TlsMode.StartTls)));

        Assert.Equal(ProtocolErrorReason.StartTlsRefused, ex.Reason);
    }

    [Fact]
    public async Task Stls_NotAdvertised_NotSent()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send("+OK\r\nUSER\r\n.\r\n");

        var ex = await Assert.ThrowsAsync<MailProtocolException>(
            () => ConnectAsync(server, Options(server, TlsMode.StartTls)));

        Assert.Equal(ProtocolErrorReason.StartTlsRefused, ex.Reason);
        Assert.Equal("CAPA\r\n", Encoding.ASCII.GetString(server.Received));
    }

    [Fact]
    public async Task UserPass_LogsIn()
    {
        await using ScriptedServer server = LoggedIn();

        await using Pop3Client client = await LoginAsync(server);

        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task Pass_InUse_TypedCode()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send(DovecotCapa)
            .Expect("USER alice\r\n")
            .Send("+OK\r\n")
            .Expect("PASS secret\r\n")
            .Send("-ERR [IN-USE] Mailbox is locked by another POP3 session\r\n");
        await using Pop3Client client = await ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<Pop3CommandException>(() => client.LoginAsync("alice", "secret", None));

        Assert.Equal(Pop3ResponseCode.InUse, ex.ResponseCode);
        Assert.Equal(CommandErrorReason.TransientFailure, ex.Reason);
        Assert.False(client.IsAuthenticated);
    }

    [Fact]
    public async Task Pass_AuthCode_AuthenticationException()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send(DovecotCapa)
            .Expect("USER alice\r\n")
            .Send("+OK\r\n")
            .Expect("PASS wrong\r\n")
            .Send("-ERR [AUTH] Authentication failed.\r\n")
            .Expect("QUIT\r\n")
            .Send("+OK Logging out\r\n");
        await using Pop3Client client = await ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<MailAuthenticationException>(
            () => client.LoginAsync("alice", "wrong", None));
        await client.QuitAsync(None);

        Assert.Equal("[AUTH] Authentication failed.", ex.ResponseText);
        Assert.False(client.IsConnected);
    }

    [Theory]
    [InlineData("alice\r\nDELE 1", "secret")]
    [InlineData("alice", "secret\nDELE 1")]
    [InlineData("alice\0", "secret")]
    public async Task Login_LineBreakInArgument_NothingSent(string user, string password)
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send(DovecotCapa);
        await using Pop3Client client = await ConnectAsync(server);

        await Assert.ThrowsAsync<ArgumentException>(() => client.LoginAsync(user, password, None));

        Assert.Equal("CAPA\r\n", Encoding.ASCII.GetString(server.Received));
    }

    [Fact]
    public async Task Stat_CountAndSize()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("STAT\r\n")
            .Send("+OK 2 320\r\n");
        await using Pop3Client client = await LoginAsync(server);

        StatResult stat = await client.GetStatusAsync(None);

        Assert.Equal(2, stat.MessageCount);
        Assert.Equal(320, stat.TotalSize);
    }

    [Fact]
    public async Task Stat_MalformedText_ClosesConnection()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("STAT\r\n")
            .Send("+OK two messages\r\n");
        await using Pop3Client client = await LoginAsync(server);

        var ex = await Assert.ThrowsAsync<MailProtocolException>(() => client.GetStatusAsync(None));

        Assert.Equal(ProtocolErrorReason.MalformedResponse, ex.Reason);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task UidlOne_OtherMessage_ClosesConnection()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("UIDL 2\r\n")
            .Send("+OK 3 uid-three\r\n");
        await using Pop3Client client = await LoginAsync(server);

        var ex = await Assert.ThrowsAsync<MailProtocolException>(() => client.GetUniqueIdAsync(2, None));

        Assert.Equal(ProtocolErrorReason.UnexpectedResponse, ex.Reason);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Stat_BeforeLogin_Throws()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send(DovecotCapa);
        await using Pop3Client client = await ConnectAsync(server);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetStatusAsync(None));
    }

    [Fact]
    public async Task List_AllAndOne()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("LIST\r\n")
            .Send("+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n")
            .Expect("LIST 2\r\n")
            .Send("+OK 2 200\r\n");
        await using Pop3Client client = await LoginAsync(server);

        IReadOnlyList<Pop3MessageInfo> all = await client.ListAsync(None);
        Pop3MessageInfo one = await client.ListAsync(2, None);

        Assert.Equal([new Pop3MessageInfo(1, 120), new Pop3MessageInfo(2, 200)], all);
        Assert.Equal(new Pop3MessageInfo(2, 200), one);
    }

    [Fact]
    public async Task List_MoreLinesThanLimitIsMalformed()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("LIST\r\n")
            .Send("+OK\r\n" + string.Concat(Enumerable.Range(1, 9).Select(n => $"{n} 100\r\n")) + ".\r\n");
        Pop3ClientOptions options = Options(server);
        await using Pop3Client client = await LoginAsync(server, new Pop3ClientOptions
        {
            Host = options.Host,
            Port = options.Port,
            TlsMode = options.TlsMode,
            // The CAPA listing of the greeting has 8 lines, so 8 is the smallest limit that lets the login pass.
            MaxListingLines = 8,
        });

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => client.ListAsync(None));

        Assert.Equal(ProtocolErrorReason.MalformedResponse, exception.Reason);
    }

    [Fact]
    public async Task MaxListingLinesZero_Rejected()
    {
        await using ScriptedServer server = new ScriptedServer();
        Pop3ClientOptions options = Options(server);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Pop3Client.ConnectAsync(
            new Pop3ClientOptions { Host = options.Host, Port = options.Port, MaxListingLines = 0 }, None));
    }

    [Fact]
    public async Task Uidl_IrregularWhitespaceAndBareSingleForm()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("UIDL\r\n")
            .Send("+OK\r\n1   000001a1457b5a851\r\n2   000001a1457b5a852\r\n.\r\n")
            .Expect("UIDL 2\r\n")
            .Send("+OK 000001a1457b5a852\r\n");
        await using Pop3Client client = await LoginAsync(server);

        IReadOnlyList<Pop3UniqueId> all = await client.GetUniqueIdsAsync(None);
        Pop3UniqueId one = await client.GetUniqueIdAsync(2, None);

        Assert.Equal(
            [new Pop3UniqueId(1, "000001a1457b5a851"), new Pop3UniqueId(2, "000001a1457b5a852")],
            all);
        Assert.Equal(new Pop3UniqueId(2, "000001a1457b5a852"), one);
    }

    [Fact]
    public async Task UidlOne_ListingReply_StaysInStep()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("UIDL 2\r\n")
            .Send("+OK\r\n1 uid-one\r\n2 uid-two\r\n.\r\n")
            .Expect("NOOP\r\n")
            .Send("+OK\r\n");
        await using Pop3Client client = await LoginAsync(server);

        Pop3UniqueId one = await client.GetUniqueIdAsync(2, None);
        await client.NoopAsync(None);

        Assert.Equal(new Pop3UniqueId(2, "uid-two"), one);
    }

    [Fact]
    public async Task Retr_ErrWithCode_Typed()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("RETR 9\r\n")
            .Send("-ERR [SYS/PERM] message file is corrupt\r\n");
        await using Pop3Client client = await LoginAsync(server);

        var ex = await Assert.ThrowsAsync<Pop3CommandException>(
            () => client.RetrieveAsync(9, new MemoryStream(), None));

        Assert.Equal(Pop3ResponseCode.SystemPermanent, ex.ResponseCode);
        Assert.Equal("RETR", ex.Command);
        Assert.Equal(CommandErrorReason.PermanentFailure, ex.Reason);
    }

    [Fact]
    public async Task Dele_ErrWithoutText()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("DELE 3\r\n")
            .Send("-ERR\r\n")
            .Expect("NOOP\r\n")
            .Send("+OK\r\n");
        await using Pop3Client client = await LoginAsync(server);

        var ex = await Assert.ThrowsAsync<Pop3CommandException>(() => client.DeleteAsync(3, None));
        await client.NoopAsync(None);

        Assert.Equal(Pop3ResponseCode.None, ex.ResponseCode);
        Assert.Equal("", ex.ResponseText);
    }

    [Fact]
    public async Task DeleteThenQuit_SendsQuitAndCloses()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("DELE 1\r\n")
            .Send("+OK message 1 deleted\r\n")
            .Expect("QUIT\r\n")
            .Send("+OK Logging out, messages deleted.\r\n");
        await using Pop3Client client = await LoginAsync(server);

        await client.DeleteAsync(1, None);
        await client.QuitAsync(None);

        Assert.False(client.IsConnected);
        Assert.EndsWith("DELE 1\r\nQUIT\r\n", Encoding.ASCII.GetString(server.Received));
    }

    [Fact]
    public async Task DisposeWithoutQuit_SendsNoQuit()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("DELE 1\r\n")
            .Send("+OK message 1 deleted\r\n");
        Pop3Client client = await LoginAsync(server);

        await client.DeleteAsync(1, None);
        await client.DisposeAsync();

        Assert.EndsWith("DELE 1\r\n", Encoding.ASCII.GetString(server.Received));
        await Assert.ThrowsAsync<MailProtocolException>(() => client.NoopAsync(None));
    }

    [Fact]
    public async Task Quit_Err_ThrowsAfterClosing()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("QUIT\r\n")
            .Send("-ERR some deleted messages not removed\r\n");
        await using Pop3Client client = await LoginAsync(server);

        await Assert.ThrowsAsync<Pop3CommandException>(() => client.QuitAsync(None));

        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Rset_Sent()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("DELE 1\r\n")
            .Send("+OK\r\n")
            .Expect("RSET\r\n")
            .Send("+OK maildrop has 2 messages\r\n");
        await using Pop3Client client = await LoginAsync(server);

        await client.DeleteAsync(1, None);
        await client.ResetAsync(None);

        Assert.EndsWith("RSET\r\n", Encoding.ASCII.GetString(server.Received));
    }

    [Fact]
    public async Task CanceledToken_Throws()
    {
        await using ScriptedServer server = LoggedIn();
        await using Pop3Client client = await LoginAsync(server);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.NoopAsync(cancellation.Token));
    }
}
