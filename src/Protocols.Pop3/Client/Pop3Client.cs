using System.Buffers;
using System.Runtime.CompilerServices;
using RawMail.Transport;

namespace RawMail.Protocols.Pop3;

/// <summary>
/// A POP3 client (RFC 1939) with CAPA (RFC 2449), STLS (RFC 2595), SASL (RFC 5034), APOP, TOP, UIDL and
/// pipelining.
/// </summary>
/// <remarks>
/// <para>
/// Deletions made with <see cref="DeleteAsync(int, CancellationToken)"/> only mark messages. The server removes them
/// when <see cref="QuitAsync"/> succeeds (RFC 1939 section 6). <see cref="DisposeAsync"/> without a QUIT, a
/// dropped connection or a failure closes the session without removing anything.
/// </para>
/// <para>
/// One command runs at a time; a second concurrent call throws <see cref="InvalidOperationException"/>. A
/// <see cref="MailProtocolException"/> or a cancellation closes the connection. A <see cref="MailCommandException"/>
/// (the server replied -ERR) leaves it usable.
/// </para>
/// </remarks>
public sealed partial class Pop3Client : IAsyncDisposable
{
    private readonly MailConnection _connection;
    private readonly Pop3ClientOptions _options;
    private readonly ResponseParser<Pop3Reply> _replyParser;
    private readonly ResponseParser<Pop3Reply> _challengeParser;
    private SessionState _state = SessionState.Authorization;
    private int _busy;

    private Pop3Client(MailConnection connection, Pop3ClientOptions options)
    {
        _connection = connection;
        _options = options;
        _replyParser = TryParseReply;
        _challengeParser = TryParseChallenge;
    }

    private enum SessionState
    {
        Authorization,
        Transaction,
        Closed,
    }

    /// <summary>The text of the server's greeting after "+OK".</summary>
    public string Greeting { get; private set; } = string.Empty;

    /// <summary>
    /// The APOP timestamp from the greeting, a msg-id such as "&lt;1896.697170952@dbc.mtview.ca.us&gt;", or null
    /// when the greeting has none (RFC 1939 section 7).
    /// </summary>
    public string? ApopTimestamp { get; private set; }

    /// <summary>
    /// The server's capabilities, refreshed after STLS because TLS may change what the server offers (RFC 2595).
    /// </summary>
    public Pop3Capabilities Capabilities { get; private set; } = Pop3Capabilities.None;

    /// <summary>Whether a login succeeded, so the session is in the TRANSACTION state.</summary>
    public bool IsAuthenticated => _state == SessionState.Transaction;

    /// <summary>Whether the connection is encrypted with TLS.</summary>
    public bool IsEncrypted => _connection.IsEncrypted;

    /// <summary>Whether the connection is still open.</summary>
    public bool IsConnected => !_connection.IsClosed;

    /// <summary>
    /// Connects, reads the greeting, reads the capabilities and, with <see cref="TlsMode.StartTls"/>, starts TLS.
    /// </summary>
    /// <exception cref="MailProtocolException">
    /// The connection, the TLS handshake or STLS failed (<see cref="ProtocolErrorReason.StartTlsRefused"/> when the
    /// server does not offer or refuses STLS), or the greeting is malformed.
    /// </exception>
    /// <exception cref="Pop3CommandException">The server's greeting was -ERR; the connection is closed.</exception>
    public static async Task<Pop3Client> ConnectAsync(Pop3ClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        MailConnection connection = await MailConnection
            .ConnectAsync(options.ToConnectionOptions(), cancellationToken)
            .ConfigureAwait(false);
        var client = new Pop3Client(connection, options);
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

    /// <summary>
    /// Closes the connection without QUIT. The server then ends the session without removing the messages marked
    /// for deletion (RFC 1939 section 6).
    /// </summary>
    public ValueTask DisposeAsync()
    {
        _state = SessionState.Closed;
        return _connection.DisposeAsync();
    }

    private async Task StartSessionAsync(CancellationToken cancellationToken)
    {
        Pop3Reply greeting = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        if (!greeting.IsOk)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            throw new Pop3CommandException(
                "greeting",
                greeting.Code,
                "The server rejected the session in its greeting",
                greeting.TextBytes);
        }

        Greeting = greeting.Text;
        ApopTimestamp = ApopDigest.FindTimestamp(greeting.TextBytes);
        await RefreshCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        if (_options.TlsMode == TlsMode.StartTls)
        {
            await StartTlsAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // STLS (RFC 2595 section 4). Any failure closes the connection: the client never continues in plain text.
    private async Task StartTlsAsync(CancellationToken cancellationToken)
    {
        if (Capabilities.IsAdvertised && !Capabilities.SupportsStls)
        {
            _connection.Abort(
                ProtocolErrorReason.StartTlsRefused,
                "The server does not advertise STLS, and TLS is required; the connection was closed.");
        }

        Pop3Reply reply = await SendAsync("STLS", cancellationToken).ConfigureAwait(false);
        if (!reply.IsOk)
        {
            _connection.Abort(
                ProtocolErrorReason.StartTlsRefused,
                $"The server refused STLS ('{ProtocolText.Escape(reply.TextBytes, 100)}'), and TLS is required; the "
                    + "connection was closed.");
        }

        await _connection.UpgradeToTlsAsync(cancellationToken).ConfigureAwait(false);
        await RefreshCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
    }

    // CAPA (RFC 2449 section 5). A server without CAPA replies -ERR, so no capabilities are known.
    private async Task RefreshCapabilitiesAsync(CancellationToken cancellationToken)
    {
        Pop3Reply reply = await SendAsync("CAPA", cancellationToken).ConfigureAwait(false);
        if (!reply.IsOk)
        {
            Capabilities = Pop3Capabilities.None;
            return;
        }

        List<string> lines = await ReadListingAsync(Pop3ListingParser.ParseCapabilityLine, cancellationToken)
            .ConfigureAwait(false);
        Capabilities = Pop3Capabilities.Parse(lines);
    }

    /// <summary>Writes one command line, flushes it and reads the status line.</summary>
    private async ValueTask<Pop3Reply> SendAsync(string command, CancellationToken cancellationToken)
    {
        _connection.WriteLine(command);
        await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        return await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a command and throws <see cref="Pop3CommandException"/> when the server replies -ERR.</summary>
    private async ValueTask<Pop3Reply> ExecuteAsync(
        string command,
        string keyword,
        CancellationToken cancellationToken)
    {
        Pop3Reply reply = await SendAsync(command, cancellationToken).ConfigureAwait(false);
        if (!reply.IsOk)
        {
            throw CommandFailed(keyword, reply);
        }

        return reply;
    }

    private ValueTask<Pop3Reply> ReadReplyAsync(CancellationToken cancellationToken) =>
        _connection.ReadAsync(_replyParser, cancellationToken);

    private ValueTask<Pop3Reply> ReadChallengeAsync(CancellationToken cancellationToken) =>
        _connection.ReadAsync(_challengeParser, cancellationToken);

    /// <summary>Reads the lines of a multi-line listing after its +OK, up to the "." line.</summary>
    private async ValueTask<List<TItem>> ReadListingAsync<TItem>(
        Func<ReadOnlySpan<byte>, TItem> parseLine,
        CancellationToken cancellationToken)
    {
        var reader = new MultilineLineReader<TItem>(
            _options.MaxLineLength, _options.MaxListingLines, _options.LineEnding, parseLine);
        while (!reader.IsComplete)
        {
            await _connection.ReadAsync(reader.Parser, cancellationToken).ConfigureAwait(false);
        }

        return reader.Items;
    }

    private bool TryParseReply(ref SequenceReader<byte> reader, out Pop3Reply reply) =>
        Pop3ReplyParser.TryParse(
            ref reader,
            _options.MaxLineLength,
            _options.LineEnding,
            allowContinuation: false,
            out reply);

    private bool TryParseChallenge(ref SequenceReader<byte> reader, out Pop3Reply reply) =>
        Pop3ReplyParser.TryParse(
            ref reader,
            _options.MaxLineLength,
            _options.LineEnding,
            allowContinuation: true,
            out reply);

    private static Pop3CommandException CommandFailed(string keyword, Pop3Reply reply) =>
        new(keyword, reply.Code, $"The server rejected {keyword}", reply.TextBytes);

    /// <summary>Marks the start of a command; disposing the result marks its end.</summary>
    private OperationScope BeginOperation(bool requiresTransaction)
    {
        if (_state == SessionState.Closed || _connection.IsClosed)
        {
            throw new MailProtocolException(
                ProtocolErrorReason.ConnectionBroken,
                "The POP3 session is closed after QUIT, a failure or disposal; connect again.");
        }

        if (requiresTransaction && _state != SessionState.Transaction)
        {
            throw new InvalidOperationException(
                "This command needs an authenticated session; call LoginAsync or AuthenticateAsync first.");
        }

        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException(
                "Another command is still running on this Pop3Client; await it before starting the next one.");
        }

        return new OperationScope(this);
    }

    private void ThrowIfAuthenticated()
    {
        if (_state == SessionState.Transaction)
        {
            throw new InvalidOperationException("The session is already authenticated.");
        }
    }

    private static void ThrowIfInvalidMessageNumber(
        int number,
        [CallerArgumentExpression(nameof(number))] string? paramName = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1, paramName);
    }

    private readonly struct OperationScope(Pop3Client client) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref client._busy, 0);
    }
}
