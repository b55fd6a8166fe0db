using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using RawMail.Protocols.Pop3;
using RawMail.Sasl;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Integration.Tests;

/// <summary>
/// Test mail for the POP3 tests. It submits messages through Postfix with raw SMTP over the transport. It finds
/// them again in a POP3 session by a marker in the Subject, so messages of other tests in the same mailbox stay
/// untouched.
/// </summary>
internal static class Pop3TestMail
{
    private static readonly TimeSpan s_deliveryTimeout = TimeSpan.FromSeconds(30);

    // Subject by unique id; unique ids are stable across sessions, so each message is read with TOP only once.
    private static readonly ConcurrentDictionary<string, string> s_subjects = new();

    public static string NewMarker() => "pop3-" + Guid.NewGuid().ToString("N");

    public static Pop3ClientOptions Options(LocalServers servers, TlsMode tlsMode) => new()
    {
        Host = "localhost",
        Port = tlsMode == TlsMode.Implicit ? servers.Ports.Pop3s : servers.Ports.Pop3,
        TlsMode = tlsMode,
        TrustedCertificateAuthorities = new X509Certificate2Collection(servers.CaCertificate),
        CommandTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>
    /// Connects and authenticates with XOAUTH2 for the robot client's mailbox. Dovecot allows one POP3 session a
    /// mailbox, so [IN-USE] from a session that is still closing is retried.
    /// </summary>
    public static async Task<Pop3Client> ConnectRobotAsync(
        LocalServers servers,
        TlsMode tlsMode,
        CancellationToken cancellationToken)
    {
        string mailbox = servers.Client("robot").Mailbox!;
        string token = await servers.GetClientCredentialsTokenAsync("robot", cancellationToken);
        var credentials = SaslCredentials.FromTokenProvider(mailbox, AccessTokenProvider.FromToken(token));
        for (int attempt = 1; ; attempt++)
        {
            Pop3Client client = await Pop3Client.ConnectAsync(Options(servers, tlsMode), cancellationToken);
            try
            {
                await client.AuthenticateAsync(credentials, cancellationToken);
                return client;
            }
            catch (Pop3CommandException ex) when (ex.ResponseCode == Pop3ResponseCode.InUse && attempt < 20)
            {
                await client.DisposeAsync();
                await Task.Delay(250, cancellationToken);
            }
            catch
            {
                await client.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Returns the messages of this session whose Subject contains the marker, by message number.</summary>
    public static async Task<List<Pop3UniqueId>> FindAsync(
        Pop3Client client,
        string marker,
        CancellationToken cancellationToken)
    {
        var found = new List<Pop3UniqueId>();
        foreach (Pop3UniqueId message in await client.GetUniqueIdsAsync(cancellationToken))
        {
            if (!s_subjects.TryGetValue(message.UniqueId, out string? subject))
            {
                var header = new MemoryStream();
                await client.RetrieveTopAsync(message.Number, 0, header, cancellationToken);
                subject = ReadSubject(Encoding.UTF8.GetString(header.ToArray()));
                s_subjects[message.UniqueId] = subject;
            }

            if (subject.Contains(marker, StringComparison.Ordinal))
            {
                found.Add(message);
            }
        }

        return found;
    }

    /// <summary>Returns the Subject of a message that <see cref="FindAsync"/> returned.</summary>
    public static string SubjectOf(Pop3UniqueId message) => s_subjects[message.UniqueId];

    /// <summary>
    /// Waits until Postfix has delivered <paramref name="count"/> messages with the marker, opening a new session
    /// for each check because a POP3 session lists only the messages present at login.
    /// </summary>
    public static async Task WaitForDeliveryAsync(
        LocalServers servers,
        string marker,
        int count,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(s_deliveryTimeout);
        while (true)
        {
            await using (Pop3Client client = await ConnectRobotAsync(servers, TlsMode.Implicit, deadline.Token))
            {
                List<Pop3UniqueId> found = await FindAsync(client, marker, deadline.Token);
                await client.QuitAsync(deadline.Token);
                if (found.Count >= count)
                {
                    return;
                }
            }

            await Task.Delay(200, deadline.Token);
        }
    }

    /// <summary>Deletes every message with the marker and commits with QUIT.</summary>
    public static async Task DeleteAllAsync(LocalServers servers, string marker, CancellationToken cancellationToken)
    {
        await using Pop3Client client = await ConnectRobotAsync(servers, TlsMode.Implicit, cancellationToken);
        List<Pop3UniqueId> found = await FindAsync(client, marker, cancellationToken);
        await client.DeleteAsync(found.Select(message => message.Number).ToArray(), cancellationToken);
        await client.QuitAsync(cancellationToken);
    }

    /// <summary>
    /// Submits one message from alice to the robot mailbox through Postfix on the implicit TLS submission port,
    /// with AUTH PLAIN (RFC 4954, RFC 8314).
    /// </summary>
    public static async Task SubmitAsync(
        LocalServers servers,
        string subject,
        string body,
        CancellationToken cancellationToken)
    {
        TestUser alice = servers.User("alice");
        string recipient = servers.Client("robot").Mailbox!;
        var options = new MailConnectionOptions
        {
            Host = "localhost",
            Port = servers.Ports.Submissions,
            TlsMode = TlsMode.Implicit,
            TrustedCertificateAuthorities = new X509Certificate2Collection(servers.CaCertificate),
        };
        await using MailConnection connection = await MailConnection.ConnectAsync(options, cancellationToken);
        await ExpectReplyAsync(connection, "220", cancellationToken);
        await CommandAsync(connection, "EHLO client.rawmail.test", "250", cancellationToken);
        string plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{alice.Email}\0{alice.Password}"));
        await CommandAsync(connection, "AUTH PLAIN " + plain, "235", cancellationToken);
        await CommandAsync(connection, $"MAIL FROM:<{alice.Email}>", "250", cancellationToken);
        await CommandAsync(connection, $"RCPT TO:<{recipient}>", "250", cancellationToken);
        await CommandAsync(connection, "DATA", "354", cancellationToken);

        string message = $"From: Alice <{alice.Email}>\r\nTo: <{recipient}>\r\nSubject: {subject}\r\n"
            + $"Message-ID: <{Guid.NewGuid():N}@rawmail.test>\r\nDate: {DateTimeOffset.UtcNow:R}\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body;
        connection.WritePayload(Encoding.UTF8.GetBytes(StuffDots(message)));
        connection.Write(".\r\n"u8);
        await connection.FlushAsync(cancellationToken);
        await ExpectReplyAsync(connection, "250", cancellationToken);
        await CommandAsync(connection, "QUIT", "221", cancellationToken);
    }

    private static string StuffDots(string message)
    {
        // SMTP transparency (RFC 5321 section 4.5.2): a line starting with "." gets another one.
        string stuffed = message.Replace("\r\n.", "\r\n..", StringComparison.Ordinal);
        return stuffed.StartsWith('.') ? "." + stuffed : stuffed;
    }

    private static async Task CommandAsync(
        MailConnection connection,
        string command,
        string expectedCode,
        CancellationToken cancellationToken)
    {
        connection.WriteLine(command);
        await connection.FlushAsync(cancellationToken);
        await ExpectReplyAsync(connection, expectedCode, cancellationToken);
    }

    // Reads an SMTP reply, multi-line or not, and checks its code.
    private static async Task ExpectReplyAsync(
        MailConnection connection,
        string expectedCode,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            string line = await connection.ReadLineAsync(cancellationToken: cancellationToken);
            if (!line.StartsWith(expectedCode, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Expected SMTP {expectedCode} but the server sent '{line}'.");
            }

            if (line.Length <= 3 || line[3] == ' ')
            {
                return;
            }
        }
    }

    private static string ReadSubject(string header)
    {
        foreach (string line in header.Split("\r\n"))
        {
            if (line.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase))
            {
                return line["Subject:".Length..].Trim();
            }
        }

        return string.Empty;
    }
}
