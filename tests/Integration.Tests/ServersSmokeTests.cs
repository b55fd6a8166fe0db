using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using RawMail.TestSupport;

namespace RawMail.Integration.Tests;

/// <summary>
/// Proves the server stack end to end with raw bytes: a token from the authorization server opens
/// a Dovecot IMAP session over TLS that validates against the test CA.
/// </summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed class ServersSmokeTests(LocalServersFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [RequiresServersFact]
    public async Task ImapsXoauth2AcceptsToken()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        LocalServers servers = fixture.Servers;
        string mailbox = servers.Client("robot").Mailbox!;
        string token = await servers.GetClientCredentialsTokenAsync("robot", timeout.Token);

        await using ImapTlsConnection connection = await ImapTlsConnection.OpenAsync(servers, timeout.Token);
        Assert.StartsWith("* OK ", connection.Greeting, StringComparison.Ordinal);

        await connection.WriteLineAsync("a1 AUTHENTICATE XOAUTH2 " + XOAuth2(mailbox, token), timeout.Token);
        string reply = await connection.ReadTaggedAsync("a1", timeout.Token);

        Assert.StartsWith("a1 OK ", reply, StringComparison.Ordinal);
    }

    // One client per token endpoint authentication method: client_secret_basic, client_secret_post
    // and private_key_jwt. Each token acts for the client's own mailbox.
    [RequiresServersTheory]
    [InlineData("robot")]
    [InlineData("post")]
    [InlineData("jwt")]
    public async Task ClientCredentialsTokenLogsIn(string clientKey)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        LocalServers servers = fixture.Servers;
        string mailbox = servers.Client(clientKey).Mailbox!;
        string token = await servers.GetClientCredentialsTokenAsync(clientKey, timeout.Token);

        await using ImapTlsConnection connection = await ImapTlsConnection.OpenAsync(servers, timeout.Token);
        await connection.WriteLineAsync("a1 AUTHENTICATE XOAUTH2 " + XOAuth2(mailbox, token), timeout.Token);
        string reply = await connection.ReadTaggedAsync("a1", timeout.Token);

        Assert.StartsWith("a1 OK ", reply, StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task ImapsXoauth2RejectsGarbageToken()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        LocalServers servers = fixture.Servers;
        string mailbox = servers.User("alice").Email;

        await using ImapTlsConnection connection = await ImapTlsConnection.OpenAsync(servers, timeout.Token);
        await connection.WriteLineAsync("a1 AUTHENTICATE XOAUTH2 " + XOAuth2(mailbox, "not-a-token"), timeout.Token);

        // A rejected XOAUTH2 token gets a continuation with the error JSON. The client sends an
        // empty line, and the server then sends the tagged NO.
        string challenge = await connection.ReadLineAsync(timeout.Token);
        Assert.StartsWith("+ ", challenge, StringComparison.Ordinal);
        await connection.WriteLineAsync(string.Empty, timeout.Token);
        string reply = await connection.ReadTaggedAsync("a1", timeout.Token);

        Assert.StartsWith("a1 NO [AUTHENTICATIONFAILED]", reply, StringComparison.Ordinal);
    }

    // The XOAUTH2 initial client response: "user=" user ^A "auth=Bearer " token ^A ^A, in base64.
    private static string XOAuth2(string user, string token)
    {
        return Convert.ToBase64String(Encoding.UTF8.GetBytes($"user={user}\u0001auth=Bearer {token}\u0001\u0001"));
    }

    private sealed class ImapTlsConnection : IAsyncDisposable
    {
        private readonly TcpClient _tcp;
        private readonly SslStream _tls;
        private readonly StreamReader _reader;

        private ImapTlsConnection(TcpClient tcp, SslStream tls)
        {
            _tcp = tcp;
            _tls = tls;
            _reader = new StreamReader(tls, Encoding.ASCII, detectEncodingFromByteOrderMarks: false);
        }

        public string Greeting { get; private set; } = string.Empty;

        public static async Task<ImapTlsConnection> OpenAsync(LocalServers servers, CancellationToken cancellationToken)
        {
            var tcp = new TcpClient();
            try
            {
                await tcp.ConnectAsync(servers.Host, servers.Ports.Imaps, cancellationToken);
                var tls = new SslStream(tcp.GetStream());
                await tls.AuthenticateAsClientAsync(servers.CreateTlsOptions(), cancellationToken);
                var connection = new ImapTlsConnection(tcp, tls);
                connection.Greeting = await connection.ReadLineAsync(cancellationToken);
                return connection;
            }
            catch
            {
                tcp.Dispose();
                throw;
            }
        }

        public async Task WriteLineAsync(string line, CancellationToken cancellationToken)
        {
            await _tls.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), cancellationToken);
            await _tls.FlushAsync(cancellationToken);
        }

        public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            return await _reader.ReadLineAsync(cancellationToken)
                ?? throw new IOException("the IMAP server closed the connection");
        }

        // Skips untagged responses until the tagged completion of the command.
        public async Task<string> ReadTaggedAsync(string tag, CancellationToken cancellationToken)
        {
            while (true)
            {
                string line = await ReadLineAsync(cancellationToken);
                if (line.StartsWith(tag + " ", StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _reader.Dispose();
            await _tls.DisposeAsync();
            _tcp.Dispose();
        }
    }
}
