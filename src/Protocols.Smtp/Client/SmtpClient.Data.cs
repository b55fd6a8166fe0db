using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using RawMail.Transport;

namespace RawMail.Protocols.Smtp;

public sealed partial class SmtpClient
{
    /// <summary>Input bytes encoded per step, so the scratch buffer stays small whatever the source hands over.</summary>
    private const int EncodeStepLength = 16 * 1024;

    /// <summary>Unanswered pipelined BDAT commands allowed before the client reads a reply.</summary>
    private const int MaxOutstandingChunks = 8;

    /// <summary>
    /// Streams the message after the 354 reply, dot-stuffed and with CRLF line ends, then "." and reads the reply.
    /// Each chunk is flushed only once the next one has been read, so the last chunk and the end-of-data line leave
    /// in one flush and no small final write waits for the server's delayed acknowledgement.
    /// </summary>
    private async ValueTask<SmtpReply> WriteDataAsync(PipeReader message, CancellationToken cancellationToken)
    {
        var encoder = new SmtpDataEncoder(stuffDots: true);
        byte[] scratch = ArrayPool<byte>.Shared.Rent(SmtpDataEncoder.MaxEncodedLength(EncodeStepLength));
        try
        {
            bool unflushed = false;
            while (true)
            {
                ReadResult result = await message.ReadAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    if (!buffer.IsEmpty && unflushed)
                    {
                        await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
                    }

                    unflushed |= !buffer.IsEmpty;
                    EncodeAndWrite(ref encoder, buffer, scratch);
                }
                finally
                {
                    message.AdvanceTo(buffer.End);
                }

                if (result.IsCompleted)
                {
                    break;
                }
            }

            int trailer = encoder.Complete(scratch);
            _connection.WritePayload(scratch.AsSpan(0, trailer));
            await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not MailProtocolException)
        {
            // The server is inside DATA and would read whatever comes next as message text, so the session cannot
            // go on after the source failed or the caller canceled.
            await _connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }

        return await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
    }

    private void EncodeAndWrite(ref SmtpDataEncoder encoder, ReadOnlySequence<byte> buffer, byte[] scratch)
    {
        foreach (ReadOnlyMemory<byte> segment in buffer)
        {
            ReadOnlySpan<byte> rest = segment.Span;
            while (!rest.IsEmpty)
            {
                int take = Math.Min(rest.Length, EncodeStepLength);
                int written = encoder.Encode(rest[..take], scratch);
                _connection.WritePayload(scratch.AsSpan(0, written));
                rest = rest[take..];
            }
        }
    }

    /// <summary>
    /// Sends the message as BDAT chunks (RFC 3030 section 2), with CRLF line ends and no dot-stuffing. A chunk is
    /// held until the next input arrives, so the last one carries LAST. With PIPELINING, up to
    /// <see cref="MaxOutstandingChunks"/> chunks go out before their replies are read. When
    /// <paramref name="state"/> has envelope replies pending, they are read after the first chunk, and a refused
    /// envelope stops the message there.
    /// </summary>
    /// <returns>The reply to the LAST chunk, or null when the envelope was refused.</returns>
    private async ValueTask<SmtpReply?> WriteChunksAsync(
        PipeReader message,
        int chunkSize,
        ChunkState state,
        CancellationToken cancellationToken)
    {
        var encoder = new SmtpDataEncoder(stuffDots: false);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(
            SmtpDataEncoder.MaxEncodedLength(chunkSize) + SmtpDataEncoder.MaxTrailerLength);
        try
        {
            int filled = 0;
            int inputInChunk = 0;
            while (true)
            {
                ReadResult result = await message.ReadAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    foreach (ReadOnlyMemory<byte> segment in buffer)
                    {
                        ReadOnlyMemory<byte> rest = segment;
                        while (!rest.IsEmpty)
                        {
                            if (inputInChunk == chunkSize)
                            {
                                await SendChunkAsync(chunk, filled, last: false, state, cancellationToken)
                                    .ConfigureAwait(false);
                                if (state.EnvelopeRejected)
                                {
                                    return null;
                                }

                                filled = 0;
                                inputInChunk = 0;
                            }

                            int take = Math.Min(rest.Length, chunkSize - inputInChunk);
                            filled += encoder.Encode(rest.Span[..take], chunk.AsSpan(filled));
                            inputInChunk += take;
                            rest = rest[take..];
                        }
                    }
                }
                finally
                {
                    message.AdvanceTo(buffer.End);
                }

                if (result.IsCompleted)
                {
                    break;
                }
            }

            filled += encoder.Complete(chunk.AsSpan(filled));
            return await SendChunkAsync(chunk, filled, last: true, state, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not MailProtocolException
            and not SmtpCommandException)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>
    /// Writes one BDAT command with its data. Returns the reply to the LAST chunk; a refused earlier chunk ends the
    /// transaction with RSET and throws. Returns null when pending envelope replies refuse the transaction.
    /// </summary>
    private async ValueTask<SmtpReply?> SendChunkAsync(
        byte[] chunk,
        int length,
        bool last,
        ChunkState state,
        CancellationToken cancellationToken)
    {
        string command = string.Create(CultureInfo.InvariantCulture, $"BDAT {length}{(last ? " LAST" : "")}");
        _connection.WriteLine(command);
        _connection.WritePayload(chunk.AsSpan(0, length));
        await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        state.Outstanding++;
        if (state.PendingRecipients >= 0 && !await ReadPendingEnvelopeAsync(state, cancellationToken)
            .ConfigureAwait(false))
        {
            return null;
        }

        bool pipelining = Capabilities.Supports(SmtpExtensions.Pipelining);
        int keep = last || !pipelining ? 0 : MaxOutstandingChunks - 1;
        SmtpReply? reply = null;
        SmtpReply? failed = null;
        while (state.Outstanding > keep)
        {
            reply = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
            state.Outstanding--;
            if (!reply.IsPositiveCompletion)
            {
                failed ??= reply;
            }
        }

        if (failed is not null)
        {
            // Every pipelined chunk gets its reply before RSET, so no later reply is paired with the wrong command.
            // RFC 3030 section 2: after a refused chunk the server discards the message, and RSET ends the
            // transaction.
            for (; state.Outstanding > 0; state.Outstanding--)
            {
                await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
            }

            await ExecuteAsync("RSET", cancellationToken).ConfigureAwait(false);
            throw new SmtpCommandException("BDAT failed", failed);
        }

        return reply!;
    }

    /// <summary>
    /// Reads the replies to the MAIL and RCPT commands sent ahead of the first chunk. When MAIL failed or no
    /// recipient was accepted, the server rejects the chunks too (RFC 3030 section 2). Their replies are then read
    /// and false is returned, so the caller ends the transaction.
    /// </summary>
    private async ValueTask<bool> ReadPendingEnvelopeAsync(ChunkState state, CancellationToken cancellationToken)
    {
        TransactionReplies envelope = await ReadEnvelopeRepliesAsync(state.PendingRecipients, sendData: false,
            cancellationToken).ConfigureAwait(false);
        state.Envelope = envelope;
        state.PendingRecipients = -1;
        if (envelope.Mail.IsPositiveCompletion && envelope.Recipients.Any(static r => r!.IsPositiveCompletion))
        {
            return true;
        }

        for (; state.Outstanding > 0; state.Outstanding--)
        {
            await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        }

        state.EnvelopeRejected = true;
        return false;
    }

    private sealed class ChunkState
    {
        /// <summary>BDAT commands sent whose replies were not read yet.</summary>
        public int Outstanding { get; set; }

        /// <summary>RCPT commands sent with MAIL ahead of the first chunk, replies unread; -1 for none.</summary>
        public int PendingRecipients { get; set; } = -1;

        /// <summary>The replies to MAIL and RCPT once read after the first chunk.</summary>
        public TransactionReplies? Envelope { get; set; }

        /// <summary>MAIL failed or every recipient was refused, so no further chunk is sent.</summary>
        public bool EnvelopeRejected { get; set; }
    }
}
