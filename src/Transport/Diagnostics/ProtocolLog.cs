using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace RawMail.Transport.Diagnostics;

/// <summary>
/// A transcript of one session as "C: " and "S: " lines, written to a <see cref="TextWriter"/> or an
/// <see cref="ILogger"/>, with secrets masked before anything is written.
/// </summary>
/// <remarks>
/// <para>
/// Client bytes are held until their line ends, so a secret split over two writes is still masked. Secrets are
/// masked in two ways: spans the caller marks (<see cref="LogClient(ReadOnlySpan{byte}, Range)"/>,
/// <see cref="MailConnection.WriteSecret"/>), and by pattern for the known command shapes whether marked or not:
/// the arguments after the mechanism of IMAP AUTHENTICATE and SMTP/POP3 AUTH, the IMAP LOGIN password (quoted,
/// atom or literal), POP3 PASS and the APOP digest. From an AUTH or AUTHENTICATE line, or inside
/// <see cref="BeginAuthentication"/>, until the server's next non-continuation line, every client line and the
/// text of every server challenge ("+ ..." or "334 ...") is masked.
/// </para>
/// <para>
/// A mask is always <see cref="Mask"/>, whatever the length of the secret. Bytes outside printable ASCII are
/// escaped. IMAP literals from the server and payloads written with <see cref="LogClientPayload"/> appear only as
/// their length, and so does server data inside <see cref="BeginServerPayload"/>. The class is thread-safe, so a
/// read and a write may log at the same time.
/// </para>
/// </remarks>
public sealed partial class ProtocolLog
{
    /// <summary>The text that replaces every secret.</summary>
    public const string Mask = "********";

    private readonly TextWriter? _writer;
    private readonly ILogger? _logger;
    private readonly Lock _lock = new();
    private readonly LineState _client = new();
    private readonly LineState _server = new();

    private int _authenticationScopes;
    private bool _authenticationCommandOpen;
    private bool _maskUntilLiteralEnds;
    private long _serverLiteralRemaining;
    private long _serverLiteralLength;
    private int _serverPayloadScopes;
    private long _serverPayloadBytes;

    public ProtocolLog(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    public ProtocolLog(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <summary>Prefixes each line with the UTC time from <see cref="TimeProvider"/>.</summary>
    public bool IncludeTimestamps { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Maximum number of bytes of one line written to the log; the rest is replaced by its length. Client lines
    /// are buffered up to this length and then only counted.
    /// </summary>
    public int MaxLoggedLineLength { get; init; } = 8192;

    /// <summary>True while an authentication exchange is open, so client lines are masked whole.</summary>
    public bool IsAuthenticating
    {
        get
        {
            lock (_lock)
            {
                return _authenticationScopes > 0 || _authenticationCommandOpen;
            }
        }
    }

    /// <summary>
    /// Marks the start of a SASL exchange: until the scope is disposed, every client line is masked whole and
    /// every server challenge's text is masked.
    /// </summary>
    public AuthenticationScope BeginAuthentication()
    {
        lock (_lock)
        {
            _authenticationScopes++;
        }

        return new AuthenticationScope(this);
    }

    /// <summary>
    /// Marks the start of message data from the server (a POP3 RETR body, an IMAP FETCH streamed in pieces): until
    /// the scope is disposed, server bytes are only counted, and disposal writes one line with the count.
    /// </summary>
    public ServerPayloadScope BeginServerPayload()
    {
        lock (_lock)
        {
            _serverPayloadScopes++;
        }

        return new ServerPayloadScope(this);
    }

    /// <summary>Logs bytes sent by the client; lines are written when their LF arrives.</summary>
    public void LogClient(ReadOnlySpan<byte> data)
    {
        LogClient(data, default(Range));
    }

    /// <summary>
    /// Logs bytes sent by the client with <paramref name="secret"/> (a range within <paramref name="data"/>)
    /// masked. Pass <see cref="Range.All"/> when the whole write is secret.
    /// </summary>
    public void LogClient(ReadOnlySpan<byte> data, Range secret)
    {
        (int secretStart, int secretLength) = secret.Equals(default(Range))
            ? (0, 0)
            : secret.GetOffsetAndLength(data.Length);
        lock (_lock)
        {
            int offset = 0;
            while (offset < data.Length)
            {
                int lineFeed = data[offset..].IndexOf((byte)'\n');
                int end = lineFeed < 0 ? data.Length : offset + lineFeed + 1;
                AppendClient(data[offset..end], secretStart - offset, secretLength, offset, end);
                if (lineFeed >= 0)
                {
                    EmitClientLine();
                }

                offset = end;
            }
        }
    }

    /// <summary>Logs that the client sent <paramref name="length"/> bytes of message data, without the data.</summary>
    public void LogClientPayload(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        lock (_lock)
        {
            _client.AppendText(Encoding.ASCII.GetBytes(FormatLiteral(length)));
        }
    }

    /// <summary>Logs bytes received from the server; lines are written when their LF arrives.</summary>
    public void LogServer(ReadOnlySequence<byte> data)
    {
        foreach (ReadOnlyMemory<byte> segment in data)
        {
            LogServer(segment.Span);
        }
    }

    /// <inheritdoc cref="LogServer(ReadOnlySequence{byte})"/>
    public void LogServer(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            if (_serverPayloadScopes > 0)
            {
                _serverPayloadBytes += data.Length;
                return;
            }

            while (!data.IsEmpty)
            {
                if (_serverLiteralRemaining > 0)
                {
                    int take = (int)Math.Min(_serverLiteralRemaining, data.Length);
                    _serverLiteralRemaining -= take;
                    data = data[take..];
                    if (_serverLiteralRemaining == 0)
                    {
                        Write("S: ", FormatLiteral(_serverLiteralLength));
                    }

                    continue;
                }

                int lineFeed = data.IndexOf((byte)'\n');
                int end = lineFeed < 0 ? data.Length : lineFeed + 1;
                _server.AppendText(data[..end], MaxLoggedLineLength);
                data = data[end..];
                if (lineFeed >= 0)
                {
                    EmitServerLine();
                }
            }
        }
    }

    internal void EndAuthentication()
    {
        lock (_lock)
        {
            _authenticationScopes = Math.Max(0, _authenticationScopes - 1);
        }
    }

    internal void EndServerPayload()
    {
        lock (_lock)
        {
            if (_serverPayloadScopes == 0 || --_serverPayloadScopes > 0)
            {
                return;
            }

            Write("S: ", string.Create(CultureInfo.InvariantCulture, $"<payload {_serverPayloadBytes} bytes>"));
            _serverPayloadBytes = 0;
        }
    }

    private void AppendClient(ReadOnlySpan<byte> piece, int secretStart, int secretLength, int pieceStart, int pieceEnd)
    {
        // Clip the caller's secret range to this piece, relative to the piece.
        int start = Math.Max(secretStart, 0);
        int end = Math.Min(secretStart + secretLength, pieceEnd - pieceStart);
        if (secretLength > 0 && start < end)
        {
            _client.AppendText(piece[..start], MaxLoggedLineLength);
            _client.AppendSecret(piece[start..end].Length);
            _client.AppendText(piece[end..], MaxLoggedLineLength);
        }
        else
        {
            _client.AppendText(piece, MaxLoggedLineLength);
        }
    }

    private static string FormatLiteral(long length)
    {
        return string.Create(CultureInfo.InvariantCulture, $"<literal {length} bytes>");
    }

    private void Write(string direction, string text)
    {
        string line = IncludeTimestamps
            ? TimeProvider.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z' ", CultureInfo.InvariantCulture)
                + direction + text
            : direction + text;

        if (_writer is not null)
        {
            _writer.WriteLine(line);
        }
        else if (_logger is not null)
        {
            if (direction[0] == 'C')
            {
                ProtocolLogMessages.ClientLine(_logger, line);
            }
            else
            {
                ProtocolLogMessages.ServerLine(_logger, line);
            }
        }
    }
}

/// <summary>
/// An open authentication exchange on a <see cref="ProtocolLog"/>; dispose it when the exchange ends.
/// </summary>
public sealed class AuthenticationScope : IDisposable
{
    private ProtocolLog? _log;

    internal AuthenticationScope(ProtocolLog log)
    {
        _log = log;
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _log, null)?.EndAuthentication();
    }
}

/// <summary>Server message data being counted on a <see cref="ProtocolLog"/>; dispose it when the data ends.</summary>
public sealed class ServerPayloadScope : IDisposable
{
    private ProtocolLog? _log;

    internal ServerPayloadScope(ProtocolLog log)
    {
        _log = log;
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _log, null)?.EndServerPayload();
    }
}

internal static partial class ProtocolLogMessages
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Trace, Message = "{Line}")]
    public static partial void ClientLine(ILogger logger, string line);

    [LoggerMessage(EventId = 2, Level = LogLevel.Trace, Message = "{Line}")]
    public static partial void ServerLine(ILogger logger, string line);
}
