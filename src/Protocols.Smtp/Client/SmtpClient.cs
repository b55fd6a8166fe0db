using RawMail.Transport;

namespace RawMail.Protocols.Smtp;

/// <summary>
/// An SMTP submission client (RFC 5321, RFC 6409): greeting, EHLO, STARTTLS, AUTH, and any number of messages on one
/// connection, pipelined when the server offers PIPELINING.
/// </summary>
/// <remarks>
/// <para>
/// Failure model, as in <see cref="MailConnection"/>: a <see cref="SmtpCommandException"/> (4xx or 5xx reply)
/// leaves the session usable, so the next message can be sent. A <see cref="MailProtocolException"/> means the
/// connection is closed: a timeout, a malformed reply, a closed connection, or a 421 reply, which the server sends
/// when it is shutting the session down (<see cref="ProtocolErrorReason.ServerShutdown"/>, RFC 5321 section 3.8).
/// </para>
/// <para>
/// One operation at a time: a call made while another is still running throws
/// <see cref="InvalidOperationException"/> before it writes anything, so the two cannot interleave on the wire.
/// </para>
/// </remarks>
public sealed partial class SmtpClient : IAsyncDisposable
{
    private readonly MailConnection _connection;
    private readonly SmtpClientOptions _options;
    private readonly ResponseParser<SmtpReply> _replyParser;
    private bool _quitSent;
    private int _busy;

    private SmtpClient(MailConnection connection, SmtpClientOptions options)
    {
        _connection = connection;
        _options = options;
        int maxLineLength = Math.Min(options.MaxReplyLineLength, options.Connection.MaxLineLength);
        _replyParser = (ref reader, out reply) => SmtpReplyParser.TryParse(ref reader, maxLineLength, out reply);
    }

    /// <summary>The server's 220 greeting.</summary>
    public SmtpReply Greeting { get; private set; } = null!;

    /// <summary>What the server announced in the latest EHLO reply, after STARTTLS the one sent over TLS.</summary>
    public SmtpCapabilities Capabilities { get; private set; } = SmtpCapabilities.None;

    public bool IsEncrypted => _connection.IsEncrypted;

    public bool IsAuthenticated { get; private set; }

    /// <summary>False once the connection failed, was closed or QUIT was sent.</summary>
    public bool IsConnected => !_connection.IsClosed && !_quitSent;

    /// <summary>
    /// Connects, reads the greeting, sends EHLO (HELO when the server rejects EHLO) and, with
    /// <see cref="TlsMode.StartTls"/>, starts TLS and sends EHLO again.
    /// </summary>
    /// <exception cref="SmtpCommandException">The greeting or EHLO was a 4xx or 5xx reply; nothing stays open.</exception>
    /// <exception cref="MailProtocolException">
    /// The connection failed; <see cref="ProtocolErrorReason.StartTlsRefused"/> when STARTTLS was required but not
    /// offered or refused; <see cref="ProtocolErrorReason.ServerShutdown"/> for a 421 greeting.
    /// </exception>
    public static async ValueTask<SmtpClient> ConnectAsync(
        SmtpClientOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        MailConnection connection = await MailConnection.ConnectAsync(options.Connection, cancellationToken)
            .ConfigureAwait(false);
        var client = new SmtpClient(connection, options);
        try
        {
            await client.StartSessionAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes the connection without QUIT. Call <see cref="QuitAsync"/> first to end the session politely.</summary>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>Marks the start of a public operation; disposing the result marks its end.</summary>
    /// <exception cref="InvalidOperationException">QUIT was sent, or another operation is still running.</exception>
    private OperationScope BeginOperation()
    {
        ThrowIfNotConnected();
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException(
                "Another operation is still running on this SmtpClient; await it before starting the next one.");
        }

        return new OperationScope(this);
    }

    private void ThrowIfNotConnected()
    {
        if (_quitSent)
        {
            throw new InvalidOperationException("The session ended with QUIT; connect again to send more.");
        }
    }

    private readonly struct OperationScope(SmtpClient client) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref client._busy, 0);
    }
}
