using System.Security.Cryptography.X509Certificates;
using System.Text;
using RawMail.Mime;
using RawMail.Protocols.Smtp;
using RawMail.Sasl;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Integration.Tests;

/// <summary>
/// Submission through the local Postfix (STARTTLS on the submission port, implicit TLS on the submissions port),
/// authenticated by Dovecot, delivered over LMTP into Dovecot's Maildir.
/// </summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed class SmtpSubmissionTests(LocalServersFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private LocalServers Servers => fixture.Servers;

    private SmtpClientOptions Options(TlsMode mode, IReadOnlyList<string>? mechanismOrder = null) => new()
    {
        Connection = new MailConnectionOptions
        {
            Host = "localhost",
            Port = mode == TlsMode.Implicit ? Servers.Ports.Submissions : Servers.Ports.Submission,
            TlsMode = mode,
            TrustedCertificateAuthorities = new X509Certificate2Collection(Servers.CaCertificate),
            CommandTimeout = TimeSpan.FromSeconds(30),
        },
        EhloDomain = "client.rawmail.test",
        MechanismOrder = mechanismOrder,
    };

    private async Task<SmtpClient> ConnectRobotAsync(
        TlsMode mode,
        CancellationToken cancellationToken,
        string mechanism = "XOAUTH2")
    {
        string mailbox = Servers.Client("robot").Mailbox!;
        string token = await Servers.GetClientCredentialsTokenAsync("robot", cancellationToken);
        SmtpClient client = await SmtpClient.ConnectAsync(Options(mode, [mechanism]), cancellationToken);
        try
        {
            await client.AuthenticateAsync(
                SaslCredentials.FromTokenProvider(mailbox, AccessTokenProvider.FromToken(token)),
                cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    [RequiresServersTheory]
    [InlineData(TlsMode.StartTls, "alice", "XOAUTH2")]
    [InlineData(TlsMode.Implicit, "bob", "XOAUTH2")]
    [InlineData(TlsMode.StartTls, "bob", "OAUTHBEARER")]
    public async Task TokenSend_Delivered(TlsMode mode, string recipient, string mechanism)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        string marker = "rawmail-smtp-" + Guid.NewGuid().ToString("N");
        string to = Servers.User(recipient).Email;
        await using SmtpClient client = await ConnectRobotAsync(mode, timeout.Token, mechanism);
        string message = $"From: <{Servers.Client("robot").Mailbox}>\r\nTo: <{to}>\r\nSubject: {marker}\r\n\r\n"
            + "hello\r\n.dot line\r\n";

        SendResult result = await client.SendAsync(
            new SmtpEnvelope(Servers.Client("robot").Mailbox!, to),
            new MemoryStream(Encoding.ASCII.GetBytes(message)),
            cancellationToken: timeout.Token);
        await client.QuitAsync(timeout.Token);
        string delivered = await WaitForDeliveryAsync(recipient, marker, timeout.Token);

        Assert.True(client.IsEncrypted);
        Assert.Equal(250, result.Reply.Code);
        Assert.Single(result.Accepted);
        // Maildir files use LF line ends; the dot that DATA stuffed was removed again by the server.
        Assert.Contains("\nhello\n.dot line\n", delivered, StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task MimeMessage_Delivered()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        string marker = "rawmail-smtp-mime-" + Guid.NewGuid().ToString("N");
        await using SmtpClient client = await ConnectRobotAsync(TlsMode.StartTls, timeout.Token);
        using var message = new MimeMessage { Subject = marker, TextBody = "Grüße\n.\nfrom the MIME writer\n" };
        message.From.Add(new MailboxAddress("Robot", Servers.Client("robot").Mailbox!));
        message.To.Add(new MailboxAddress("Alice", Servers.User("alice").Email));
        message.Bcc.Add(new MailboxAddress(null, Servers.User("bob").Email));

        SendResult result = await client.SendAsync(message, cancellationToken: timeout.Token);
        string toBob = await WaitForDeliveryAsync("bob", marker, timeout.Token);

        Assert.Equal(2, result.Accepted.Count);
        Assert.DoesNotContain("Bcc:", toBob, StringComparison.OrdinalIgnoreCase);
    }

    [RequiresServersFact]
    public async Task RefusedRecipients_ReportedEach()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await using SmtpClient client = await ConnectRobotAsync(TlsMode.StartTls, timeout.Token);

        SendResult result = await client.SendAsync(
            new SmtpEnvelope(
                Servers.Client("robot").Mailbox!,
                Servers.User("alice").Email,
                "nobody@rawmail.test",
                "someone@elsewhere.test"),
            new MemoryStream("Subject: refused recipients\r\n\r\nbody\r\n"u8.ToArray()),
            cancellationToken: timeout.Token);

        Assert.Equal([Servers.User("alice").Email], result.Accepted.Select(r => r.Address));
        Assert.Equal(["nobody@rawmail.test", "someone@elsewhere.test"], result.Refused.Select(r => r.Recipient.Address));
        Assert.Equal(550, result.Refused[0].Reply.Code);
        Assert.Equal(new SmtpEnhancedStatusCode(5, 1, 1), result.Refused[0].Reply.EnhancedStatusCode);
        Assert.Equal(554, result.Refused[1].Reply.Code);
    }

    [RequiresServersFact]
    public async Task AllRecipientsRefused_SessionUsable()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await using SmtpClient client = await ConnectRobotAsync(TlsMode.Implicit, timeout.Token);

        var exception = await Assert.ThrowsAsync<SmtpRecipientsRefusedException>(() => client.SendAsync(
            new SmtpEnvelope(Servers.Client("robot").Mailbox!, "nobody@rawmail.test"),
            new MemoryStream("Subject: nobody\r\n\r\nbody\r\n"u8.ToArray()),
            cancellationToken: timeout.Token).AsTask());
        SmtpReply noop = await client.NoopAsync(timeout.Token);

        Assert.Single(exception.Refused);
        Assert.Equal(250, noop.Code);
    }

    [RequiresServersFact]
    public async Task ThousandMessages_OneConnection()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using SmtpClient client = await ConnectRobotAsync(TlsMode.StartTls, timeout.Token);
        string from = Servers.Client("robot").Mailbox!;
        int queued = 0;

        for (int i = 0; i < 1000; i++)
        {
            SendResult result = await client.SendAsync(
                new SmtpEnvelope(from, from),
                new MemoryStream(Encoding.ASCII.GetBytes($"Subject: bulk {i}\r\n\r\nmessage {i}\r\n")),
                cancellationToken: timeout.Token);
            // Postfix 3.7 replies "250 2.0.0 Ok: <n> bytes queued as <queue id>".
            queued += result.Reply.Text.Contains(" queued as ", StringComparison.Ordinal) ? 1 : 0;
        }

        // A reply paired with the wrong command would leave NOOP with a stale reply or none.
        SmtpReply noop = await client.NoopAsync(timeout.Token);
        await client.QuitAsync(timeout.Token);

        Assert.Equal(1000, queued);
        Assert.Equal("2.0.0 Ok", noop.Text);
    }

    [RequiresServersFact]
    public async Task WrongToken_ErrorFieldsDecoded()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await using SmtpClient client = await SmtpClient.ConnectAsync(Options(TlsMode.StartTls), timeout.Token);

        var exception = await Assert.ThrowsAsync<MailAuthenticationException>(() => client.AuthenticateAsync(
            SaslCredentials.FromTokenProvider(Servers.User("alice").Email, AccessTokenProvider.FromToken("not-a-token")),
            timeout.Token).AsTask());

        Assert.Equal("401", exception.ServerErrorFields!["status"]);
        Assert.Equal("mail", exception.ServerErrorFields["scope"]);
        Assert.StartsWith("535 5.7.8", exception.ResponseText, StringComparison.Ordinal);
    }

    [RequiresServersTheory]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-1")]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    public async Task PasswordMechanism_Authenticates(string mechanism)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        TestUser alice = Servers.User("alice");
        await using SmtpClient client = await SmtpClient.ConnectAsync(
            Options(TlsMode.Implicit, [mechanism]), timeout.Token);

        await client.AuthenticateAsync(SaslCredentials.FromPassword(alice.Email, alice.Password), timeout.Token);

        Assert.True(client.IsAuthenticated);
    }

    [RequiresServersFact]
    public async Task StartTls_CapabilitiesAfterTls()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await using SmtpClient client = await SmtpClient.ConnectAsync(Options(TlsMode.StartTls), timeout.Token);

        Assert.True(client.IsEncrypted);
        Assert.False(client.Capabilities.Supports(SmtpExtensions.StartTls));
        Assert.Contains("XOAUTH2", client.Capabilities.AuthenticationMechanisms);
        Assert.True(client.Capabilities.Supports(SmtpExtensions.Pipelining));
    }

    /// <summary>Polls the recipient's Maildir until a message containing the marker arrives, and returns it.</summary>
    private async Task<string> WaitForDeliveryAsync(string user, string marker, CancellationToken cancellationToken)
    {
        string maildir = Path.Combine(Servers.StateDirectory, "mail", Servers.Domain, user, "Maildir");
        while (true)
        {
            foreach (string folder in new[] { "new", "cur" })
            {
                string directory = Path.Combine(maildir, folder);
                if (!Directory.Exists(directory))
                {
                    continue;
                }

                foreach (string file in Directory.EnumerateFiles(directory))
                {
                    string text = await File.ReadAllTextAsync(file, cancellationToken);
                    if (text.Contains(marker, StringComparison.Ordinal))
                    {
                        return text;
                    }
                }
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
