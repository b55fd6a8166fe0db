using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using RawMail.Protocols.Imap;
using RawMail.Sasl;
using RawMail.TestSupport;
using RawMail.Transport;
using RawMail.Transport.Diagnostics;

namespace RawMail.Integration.Tests;

/// <summary>Opens IMAP clients to the local Dovecot.</summary>
internal static class ImapTestSession
{
    public static ImapClientOptions Options(LocalServers servers, TlsMode mode, ProtocolLog? log = null,
        IReadOnlyList<string>? mechanisms = null)
    {
        return new ImapClientOptions
        {
            Connection = new MailConnectionOptions
            {
                Host = servers.Host,
                Port = mode == TlsMode.Implicit ? servers.Ports.Imaps : servers.Ports.Imap,
                TlsMode = mode,
                TargetHostOverride = "localhost",
                TrustedCertificateAuthorities = new X509Certificate2Collection(servers.CaCertificate),
                CommandTimeout = TimeSpan.FromSeconds(60),
                ProtocolLog = log,
            },
            SaslMechanisms = mechanisms,
        };
    }

    /// <summary>Connects and logs in as the robot client's mailbox with XOAUTH2 and a client-credentials token.</summary>
    public static async Task<ImapClient> OpenRobotAsync(LocalServers servers, CancellationToken cancellationToken,
        TlsMode mode = TlsMode.Implicit, ProtocolLog? log = null)
    {
        string token = await servers.GetClientCredentialsTokenAsync("robot", cancellationToken);
        ImapClient client = await ImapClient.ConnectAsync(Options(servers, mode, log, ["XOAUTH2"]), cancellationToken);
        await client.AuthenticateAsync(Robot(servers, token), cancellationToken);
        return client;
    }

    public static SaslCredentials Robot(LocalServers servers, string token)
    {
        return SaslCredentials.FromTokenProvider(servers.Client("robot").Mailbox!, AccessTokenProvider.FromToken(token));
    }

    public static string UniqueName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Encodes a non-ASCII header value as an RFC 2047 encoded word.</summary>
    public static string EncodeHeader(string value)
    {
        return value.All(char.IsAscii)
            ? value
            : "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) + "?=";
    }

    public static byte[] Message(string subject, string body = "Hello from the integration tests.")
    {
        return Encoding.ASCII.GetBytes(
            "From: Alice <alice@rawmail.test>\r\n"
            + "To: Robot <robot@rawmail.test>\r\n"
            + $"Subject: {EncodeHeader(subject)}\r\n"
            + "Date: Fri, 04 Dec 2026 12:00:00 +0000\r\n"
            + $"Message-ID: <{Guid.NewGuid():N}@rawmail.test>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n"
            + "\r\n"
            + body + "\r\n");
    }
}

/// <summary>
/// A read-only stream that makes a message of a given size line by line, never whole in memory, and hashes the
/// octets it hands out.
/// </summary>
internal sealed class GeneratedMessageStream : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _header;
    private readonly long _length;
    private long _position;

    public GeneratedMessageStream(string subject, long length)
    {
        _header = Encoding.ASCII.GetBytes(
            $"From: alice@rawmail.test\r\nTo: robot@rawmail.test\r\nSubject: {subject}\r\n\r\n");
        _length = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public byte[] Hash() => _hash.GetHashAndReset();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int count = (int)Math.Min(buffer.Length, _length - _position);
        for (int i = 0; i < count; i++)
        {
            buffer[i] = ByteAt(_position + i);
        }

        _hash.AppendData(buffer[..count]);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private byte ByteAt(long position)
    {
        if (position < _header.Length)
        {
            return _header[position];
        }

        // Body lines of 78 letters and CRLF; the last two octets of the message are CRLF too.
        long body = position - _header.Length;
        if (position >= _length - 2)
        {
            return position == _length - 2 ? (byte)'\r' : (byte)'\n';
        }

        long column = body % 80;
        if (column == 78 && position == _length - 3)
        {
            // A CR here would stand before the final CRLF without its LF.
            return (byte)'x';
        }

        return column switch
        {
            78 => (byte)'\r',
            79 => (byte)'\n',
            _ => (byte)('a' + ((body / 80 + column) % 26)),
        };
    }
}
