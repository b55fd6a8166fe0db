using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using RawMail.Sasl;
using RawMail.TestSupport;

namespace RawMail.Integration.Tests;

/// <summary>Logs in to Dovecot over IMAP with TLS and AUTHENTICATE, with raw lines.</summary>
internal static class ImapOAuthLogin
{
    /// <summary>
    /// Sends AUTHENTICATE XOAUTH2 for <paramref name="user"/> with the bearer token and returns the
    /// tagged reply, such as "a1 OK ..." or "a1 NO [AUTHENTICATIONFAILED] ...".
    /// </summary>
    public static async Task<string> AuthenticateAsync(
        LocalServers servers, string user, string accessToken, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(servers.Host, servers.Ports.Imaps, cancellationToken);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(servers.CreateTlsOptions(), cancellationToken);
        using var reader = new StreamReader(tls, Encoding.ASCII, detectEncodingFromByteOrderMarks: false);

        string greeting = await ReadLineAsync(reader, cancellationToken);
        Assert.StartsWith("* OK ", greeting, StringComparison.Ordinal);

        // Google's XOAUTH2 initial response: "user=" user ^A "auth=Bearer " token ^A ^A, base64-encoded.
        string response = Convert.ToBase64String(
            Encoding.UTF8.GetBytes($"user={user}\u0001auth=Bearer {accessToken}\u0001\u0001"));
        await WriteLineAsync(tls, "a1 AUTHENTICATE XOAUTH2 " + response, cancellationToken);
        while (true)
        {
            string line = await ReadLineAsync(reader, cancellationToken);
            if (line.StartsWith("+ ", StringComparison.Ordinal))
            {
                // A rejected token gets a continuation with the error JSON; an empty line ends the exchange.
                await WriteLineAsync(tls, string.Empty, cancellationToken);
            }
            else if (line.StartsWith("a1 ", StringComparison.Ordinal))
            {
                return line;
            }
        }
    }

    /// <summary>
    /// Runs AUTHENTICATE with a RawMail SASL mechanism: its initial response, then its response to
    /// each challenge. Returns the tagged reply.
    /// </summary>
    public static async Task<string> AuthenticateAsync(
        LocalServers servers, SaslMechanism mechanism, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(servers.Host, servers.Ports.Imaps, cancellationToken);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(servers.CreateTlsOptions(), cancellationToken);
        using var reader = new StreamReader(tls, Encoding.ASCII, detectEncodingFromByteOrderMarks: false);

        string greeting = await ReadLineAsync(reader, cancellationToken);
        Assert.StartsWith("* OK ", greeting, StringComparison.Ordinal);

        var context = new SaslContext(servers.Host, servers.Ports.Imaps, "imap");
        using (SaslResponse? initial = await mechanism.CreateInitialResponseAsync(context, cancellationToken))
        {
            await WriteLineAsync(tls, $"a1 AUTHENTICATE {mechanism.Name} {initial!.ToBase64()}", cancellationToken);
        }

        while (true)
        {
            string line = await ReadLineAsync(reader, cancellationToken);
            if (line.StartsWith("+ ", StringComparison.Ordinal) || line == "+")
            {
                byte[] challenge = Convert.FromBase64String(line.Length > 2 ? line[2..] : "");
                using SaslResponse response = mechanism.EvaluateChallenge(challenge);
                await WriteLineAsync(tls, response.ToBase64(), cancellationToken);
            }
            else if (line.StartsWith("a1 ", StringComparison.Ordinal))
            {
                return line;
            }
        }
    }

    private static async Task WriteLineAsync(SslStream tls, string line, CancellationToken cancellationToken)
    {
        await tls.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), cancellationToken);
        await tls.FlushAsync(cancellationToken);
    }

    private static async Task<string> ReadLineAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        return await reader.ReadLineAsync(cancellationToken)
            ?? throw new IOException("the IMAP server closed the connection");
    }
}
