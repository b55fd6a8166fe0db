using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RawMail.Transport;

/// <summary>
/// Parses one item (a line, a response) from the front of <paramref name="reader"/>. Returns false, with the
/// reader unmoved, when more bytes are needed. The result must not keep slices of the reader's sequence, because
/// the buffer is released when the method returns.
/// </summary>
public delegate bool ResponseParser<TResult>(ref SequenceReader<byte> reader, out TResult result);

public sealed partial class MailConnection
{
    private static readonly byte[] s_crlf = "\r\n"u8.ToArray();

    private ResponseParser<string>? _strictLineParser;
    private ResponseParser<string>? _lenientLineParser;
    private readonly Lock _inputGate = new();
    private ReadOnlySequence<byte> _readBuffer;
    private bool _holdingBuffer;
    private bool _inputCompletionDeferred;
    private long _unconsumedBytes;

    /// <summary>
    /// Reads from <see cref="Input"/> within the command timeout. The caller owns the buffer until it calls
    /// <see cref="AdvanceTo"/>, once per read and also when parsing throws; the pipe rejects a second read before
    /// that call.
    /// </summary>
    /// <remarks>
    /// When the result has <see cref="ReadResult.IsCompleted"/> set and the buffered bytes do not hold the complete
    /// response, the server closed mid-response: call <see cref="Abort"/> with
    /// <see cref="ProtocolErrorReason.ConnectionClosed"/>.
    /// </remarks>
    /// <exception cref="MailProtocolException">
    /// <see cref="ProtocolErrorReason.Timeout"/> or <see cref="ProtocolErrorReason.ConnectionClosed"/>; the
    /// connection is closed.
    /// </exception>
    /// <exception cref="OperationCanceledException">The caller canceled; the connection is closed.</exception>
    public async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        CancellationToken deadline = _readDeadline.Start(cancellationToken);
        try
        {
            return await ReadInputAsync(deadline, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _readDeadline.Stop();
        }
    }

    /// <summary>
    /// Releases the bytes before <paramref name="consumed"/> and writes them to the protocol log. Positions must come
    /// from the buffer of the last <see cref="ReadAsync(CancellationToken)"/>.
    /// </summary>
    public void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        ReadOnlySequence<byte> buffer = _readBuffer;
        _readBuffer = default;
        lock (_inputGate)
        {
            if (Log is { } log)
            {
                log.LogServer(buffer.Slice(buffer.Start, consumed));
            }

            _unconsumedBytes = buffer.Slice(consumed).Length;
            _holdingBuffer = false;
            if (!IsClosed)
            {
                Input.AdvanceTo(consumed, examined);
            }
            else if (_inputCompletionDeferred)
            {
                // Close ran while this buffer was in use and left releasing it to this call.
                _inputCompletionDeferred = false;
                CompleteQuietly(Input);
            }
        }
    }

    /// <summary>
    /// Reads until <paramref name="parser"/> completes one item and consumes it; this method owns
    /// <see cref="AdvanceTo"/>. Any exception from the parser closes the connection and passes to the caller.
    /// </summary>
    /// <remarks>
    /// The command timeout bounds the whole item, not each read, so a server that sends a reply a few bytes at a
    /// time cannot hold the caller for longer than the timeout.
    /// </remarks>
    /// <exception cref="MailProtocolException">
    /// <see cref="ProtocolErrorReason.ConnectionClosed"/> when the server closes before the item is complete, a
    /// timeout, or the parser's own error; the connection is closed.
    /// </exception>
    /// <exception cref="OperationCanceledException">The caller canceled; the connection is closed.</exception>
    public async ValueTask<TResult> ReadAsync<TResult>(
        ResponseParser<TResult> parser,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parser);
        ThrowIfClosed();
        CancellationToken deadline = _readDeadline.Start(cancellationToken);
        try
        {
            while (true)
            {
                ReadResult result = await ReadInputAsync(deadline, cancellationToken).ConfigureAwait(false);
                if (TryParse(parser, result.Buffer, out TResult value))
                {
                    return value;
                }

                if (result.IsCompleted)
                {
                    Abort(
                        ProtocolErrorReason.ConnectionClosed,
                        "The server closed the connection before the response was complete.");
                }
            }
        }
        finally
        {
            _readDeadline.Stop();
        }
    }

    /// <summary>
    /// Reads one line within <see cref="MailConnectionOptions.MaxLineLength"/> and decodes it as UTF-8.
    /// </summary>
    public ValueTask<string> ReadLineAsync(
        LineEnding ending = LineEnding.CrLf,
        CancellationToken cancellationToken = default)
    {
        ResponseParser<string> parser = ending == LineEnding.CrLf
            ? _strictLineParser ??= TryReadStrictLine
            : _lenientLineParser ??= TryReadLenientLine;
        return ReadAsync(parser, cancellationToken);
    }

    /// <summary>Queues protocol bytes for sending and logs them, masking the known secret-bearing commands.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        ThrowIfClosed();
        Log?.LogClient(data);
        Output.Write(data);
    }

    /// <summary>Queues bytes that are secret as a whole (a password, a SASL response); the log shows a mask.</summary>
    /// <exception cref="MailProtocolException">
    /// <see cref="ProtocolErrorReason.CredentialsWithoutTls"/>: the connection has no TLS, the server is not on a
    /// loopback address and <see cref="MailConnectionOptions.AllowCredentialsWithoutTls"/> is off. The connection is
    /// closed and nothing queued is sent.
    /// </exception>
    public void WriteSecret(ReadOnlySpan<byte> data)
    {
        ThrowIfClosed();
        if (RejectsCredentials(IsEncrypted, _options.AllowCredentialsWithoutTls, _socket.RemoteEndPoint))
        {
            Abort(ProtocolErrorReason.CredentialsWithoutTls,
                $"Credentials were not sent: the connection to {_options.Host} has no TLS. Use TLS, or set "
                    + "AllowCredentialsWithoutTls if the network path is trusted.");
        }

        Log?.LogClient(data, Range.All);
        Output.Write(data);
    }

    /// <summary>Whether a secret must not be sent: no TLS, not allowed, and a peer that is not on loopback.</summary>
    internal static bool RejectsCredentials(bool encrypted, bool allowWithoutTls, EndPoint? peer)
    {
        return !encrypted && !allowWithoutTls
            && !(peer is IPEndPoint { Address: var address } && IPAddress.IsLoopback(address));
    }

    /// <summary>Queues message data (a literal, a DATA body); the log shows only its length.</summary>
    public void WritePayload(ReadOnlySpan<byte> data)
    {
        ThrowIfClosed();
        Log?.LogClientPayload(data.Length);
        Output.Write(data);
    }

    /// <summary>
    /// Queues <paramref name="line"/> as UTF-8 followed by CRLF. Throws <see cref="ArgumentException"/> before
    /// anything is queued when the line contains CR, LF or NUL.
    /// </summary>
    public void WriteLine(string line)
    {
        ProtocolText.ThrowIfContainsLineBreakOrNul(line, nameof(line));
        ThrowIfClosed();

        int maxBytes = Encoding.UTF8.GetMaxByteCount(line.Length) + s_crlf.Length;
        Span<byte> span = Output.GetSpan(maxBytes);
        int length = Encoding.UTF8.GetBytes(line, span);
        s_crlf.CopyTo(span[length..]);
        length += s_crlf.Length;

        Log?.LogClient(span[..length]);
        Output.Advance(length);
    }

    /// <summary>Sends the queued bytes within the command timeout.</summary>
    /// <exception cref="MailProtocolException">A timeout or a closed connection; the connection is closed.</exception>
    /// <exception cref="OperationCanceledException">The caller canceled; the connection is closed.</exception>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        CancellationToken deadline = _writeDeadline.Start(cancellationToken);
        try
        {
            FlushResult result = await Output.FlushAsync(deadline).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                throw new OperationCanceledException(deadline);
            }
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            throw TranslateFailure(ex, _writeDeadline.Timeout, "write", cancellationToken);
        }
        finally
        {
            _writeDeadline.Stop();
        }
    }

    private async ValueTask<ReadResult> ReadInputAsync(CancellationToken deadline, CancellationToken cancellationToken)
    {
        try
        {
            ReadResult result = await Input.ReadAsync(deadline).ConfigureAwait(false);
            lock (_inputGate)
            {
                // Close on another thread may have released this buffer between the read and this point.
                ObjectDisposedException.ThrowIf(IsClosed, this);
                _holdingBuffer = true;
            }

            _readBuffer = result.Buffer;
            return result;
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            throw TranslateFailure(ex, _readDeadline.Timeout, "read", cancellationToken);
        }
    }

    private bool TryReadStrictLine(ref SequenceReader<byte> reader, out string line)
    {
        return TryReadLineString(ref reader, LineEnding.CrLf, out line);
    }

    private bool TryReadLenientLine(ref SequenceReader<byte> reader, out string line)
    {
        return TryReadLineString(ref reader, LineEnding.CrLfOrLf, out line);
    }

    private bool TryReadLineString(ref SequenceReader<byte> reader, LineEnding ending, out string line)
    {
        int maxLength = _options.MaxLineLength;
        bool complete = LineReader.TryReadLine(ref reader, maxLength, out ReadOnlySequence<byte> bytes, ending);
        line = complete ? Encoding.UTF8.GetString(bytes) : string.Empty;
        return complete;
    }

    private bool TryParse<TResult>(ResponseParser<TResult> parser, ReadOnlySequence<byte> buffer, out TResult value)
    {
        var reader = new SequenceReader<byte>(buffer);
        bool complete = false;
        try
        {
            complete = parser(ref reader, out value);
        }
        catch (Exception)
        {
            // A parser that failed may have left the response half consumed, so the stream cannot be resumed.
            Close();
            throw;
        }
        finally
        {
            SequencePosition consumed = complete ? reader.Position : buffer.Start;
            AdvanceTo(consumed, complete ? consumed : buffer.End);
        }

        return complete;
    }

    /// <summary>
    /// Recognizes the exceptions that a socket, stream or pipe raises when the connection fails. A pipe raises
    /// InvalidOperationException after Close completed it; otherwise that exception is a caller bug and passes.
    /// </summary>
    private bool IsTransportFailure(Exception ex)
    {
        return ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException
            || (ex is InvalidOperationException && IsClosed);
    }

    private Exception TranslateFailure(
        Exception ex,
        TimeSpan timeout,
        string operation,
        CancellationToken cancellationToken)
    {
        bool wasClosed = IsClosed;
        Close();

        if (ex is OperationCanceledException)
        {
            return cancellationToken.IsCancellationRequested
                ? new OperationCanceledException(
                    $"The {operation} was canceled; the connection was closed.",
                    ex,
                    cancellationToken)
                : new MailProtocolException(
                    ProtocolErrorReason.Timeout,
                    $"The {operation} timed out after {timeout.TotalSeconds} seconds; the connection was closed.",
                    ex);
        }

        return wasClosed
            ? new MailProtocolException(
                ProtocolErrorReason.ConnectionBroken,
                $"The {operation} failed because the connection was closed.",
                ex)
            : new MailProtocolException(
                ProtocolErrorReason.ConnectionClosed,
                $"The {operation} failed because the connection was lost: {ex.Message}",
                ex);
    }
}
