using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using RawMail.Transport;
using RawMail.Transport.Diagnostics;

namespace RawMail.Protocols.Pop3;

public sealed partial class Pop3Client
{
    /// <summary>
    /// Retrieves a message (RETR, RFC 1939 section 5) and writes it, dot-unstuffed and with CRLF line ends as the
    /// server sent them, to <paramref name="destination"/>. The message streams through, so the client buffers at
    /// most one network read of it.
    /// </summary>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="Pop3CommandException">
    /// No such message, or it is marked deleted. Nothing was written.
    /// </exception>
    /// <exception cref="MailProtocolException">
    /// The connection closed or timed out mid-message; part of the message may have been written.
    /// </exception>
    public Task<long> RetrieveAsync(int number, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return RetrieveCoreAsync(
            "RETR",
            NumberedCommand("RETR", number),
            number,
            MessageSink.For(destination),
            cancellationToken);
    }

    /// <inheritdoc cref="RetrieveAsync(int, Stream, CancellationToken)"/>
    public Task<long> RetrieveAsync(int number, IBufferWriter<byte> destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return RetrieveCoreAsync(
            "RETR",
            NumberedCommand("RETR", number),
            number,
            MessageSink.For(destination),
            cancellationToken);
    }

    /// <inheritdoc cref="RetrieveAsync(int, Stream, CancellationToken)"/>
    /// <remarks>Each network read is flushed to the pipe, so the pipe's back pressure slows the download.</remarks>
    public Task<long> RetrieveAsync(int number, PipeWriter destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return RetrieveCoreAsync(
            "RETR",
            NumberedCommand("RETR", number),
            number,
            MessageSink.For(destination),
            cancellationToken);
    }

    /// <summary>
    /// Retrieves the header and the first <paramref name="lineCount"/> body lines of a message (TOP, RFC 1939
    /// section 7) and writes them, dot-unstuffed, to <paramref name="destination"/>.
    /// </summary>
    /// <inheritdoc cref="RetrieveAsync(int, Stream, CancellationToken)"/>
    public Task<long> RetrieveTopAsync(
        int number,
        int lineCount,
        Stream destination,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return RetrieveCoreAsync(
            "TOP",
            TopCommand(number, lineCount),
            number,
            MessageSink.For(destination),
            cancellationToken);
    }

    /// <inheritdoc cref="RetrieveTopAsync(int, int, Stream, CancellationToken)"/>
    public Task<long> RetrieveTopAsync(
        int number,
        int lineCount,
        IBufferWriter<byte> destination,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return RetrieveCoreAsync(
            "TOP",
            TopCommand(number, lineCount),
            number,
            MessageSink.For(destination),
            cancellationToken);
    }

    /// <inheritdoc cref="RetrieveTopAsync(int, int, Stream, CancellationToken)"/>
    public Task<long> RetrieveTopAsync(
        int number,
        int lineCount,
        PipeWriter destination,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return RetrieveCoreAsync(
            "TOP",
            TopCommand(number, lineCount),
            number,
            MessageSink.For(destination),
            cancellationToken);
    }

    private async Task<long> RetrieveCoreAsync(
        string keyword,
        string command,
        int number,
        MessageSink sink,
        CancellationToken cancellationToken)
    {
        ThrowIfInvalidMessageNumber(number);
        using OperationScope operation = BeginOperation(requiresTransaction: true);
        await ExecuteAsync(command, keyword, cancellationToken).ConfigureAwait(false);
        return await ReadMessageBodyAsync(sink, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams a dot-stuffed body after its +OK into <paramref name="sink"/>, up to the "." line.</summary>
    /// <remarks>
    /// When the sink throws, the rest of the message is still on the connection and cannot be skipped safely, so
    /// the connection is closed before the sink's exception passes on.
    /// </remarks>
    private async ValueTask<long> ReadMessageBodyAsync(MessageSink sink, CancellationToken cancellationToken)
    {
        try
        {
            return await StreamMessageBodyAsync(sink, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not MailProtocolException && !_connection.IsClosed)
        {
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask<long> StreamMessageBodyAsync(MessageSink sink, CancellationToken cancellationToken)
    {
        var unstuffer = new DotUnstuffer(_options.LineEnding);
        using ServerPayloadScope? payloadScope = _connection.Log?.BeginServerPayload();
        while (true)
        {
            ReadResult result = await _connection.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            bool complete = false;
            try
            {
                complete = unstuffer.Decode(ref reader, sink.Writer);
            }
            finally
            {
                // Examining only up to the consumed position after the terminator lets the next read return a
                // pipelined reply that is already buffered.
                _connection.AdvanceTo(reader.Position, complete ? reader.Position : buffer.End);
            }

            await sink.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (complete)
            {
                return unstuffer.BytesWritten;
            }

            if (result.IsCompleted)
            {
                _connection.Abort(
                    ProtocolErrorReason.ConnectionClosed,
                    "The server closed the connection in the middle of a message.");
            }
        }
    }

    private static string TopCommand(int number, int lineCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lineCount);
        return NumberedCommand("TOP", number) + " " + lineCount.ToString(CultureInfo.InvariantCulture);
    }
}
