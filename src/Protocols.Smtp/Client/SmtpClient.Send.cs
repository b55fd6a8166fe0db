using System.IO.Pipelines;
using RawMail.Transport;

namespace RawMail.Protocols.Smtp;

public sealed partial class SmtpClient
{
    /// <summary>Read size for a message stream; each read becomes about one flush of message data.</summary>
    private const int SourceBufferSize = 32 * 1024;

    /// <summary>
    /// Sends one message: MAIL FROM, RCPT TO for each recipient, then the data with DATA or, when the server offers
    /// CHUNKING, BDAT. With PIPELINING the commands up to DATA go in one write and their replies are read in order
    /// (RFC 2920 section 3.1); with BDAT the first chunk goes in that write too. Line ends in
    /// <paramref name="message"/> are normalised to CRLF and, for DATA, lines starting with "." are dot-stuffed while
    /// the message streams.
    /// </summary>
    /// <returns>The accepted recipients and the refused ones, each with the server's reply.</returns>
    /// <exception cref="ArgumentException">
    /// An address contains CR, LF, NUL or another control character, or is not ASCII while the server lacks
    /// SMTPUTF8. Nothing was sent.
    /// </exception>
    /// <exception cref="SmtpRecipientsRefusedException">Every recipient was refused; nothing was sent.</exception>
    /// <exception cref="SmtpCommandException">MAIL FROM, DATA or the message was rejected.</exception>
    /// <exception cref="MailCommandException">
    /// <see cref="CommandErrorReason.NotSupported"/>: an option needs an extension the server does not offer.
    /// <see cref="CommandErrorReason.PermanentFailure"/>: the message size exceeds the server's SIZE limit.
    /// Nothing was sent.
    /// </exception>
    public async ValueTask<SendResult> SendAsync(
        SmtpEnvelope envelope,
        Stream message,
        SmtpSendOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        options ??= SmtpSendOptions.Default;
        long? size = options.Size ?? (message.CanSeek ? message.Length - message.Position : null);
        PipeReader reader = PipeReader.Create(message, new StreamPipeReaderOptions(
            pool: _options.Connection.MemoryPool,
            bufferSize: SourceBufferSize,
            minimumReadSize: SourceBufferSize / 4,
            leaveOpen: true));
        try
        {
            return await SendCoreAsync(envelope, reader, options, size, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="SendAsync(SmtpEnvelope, Stream, SmtpSendOptions?, CancellationToken)"/>
    public ValueTask<SendResult> SendAsync(
        SmtpEnvelope envelope,
        PipeReader message,
        SmtpSendOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        options ??= SmtpSendOptions.Default;
        return SendCoreAsync(envelope, message, options, options.Size, cancellationToken);
    }

    private async ValueTask<SendResult> SendCoreAsync(
        SmtpEnvelope envelope,
        PipeReader message,
        SmtpSendOptions options,
        long? size,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ChunkSize, 1, nameof(options));
        using OperationScope operation = BeginOperation();

        // Every argument is checked and every command built before the first byte is written.
        string mailCommand = BuildMailCommand(envelope, options, size);
        string[] recipientCommands = [.. envelope.Recipients.Select(BuildRecipientCommand)];
        bool chunking = options.UseChunking && Capabilities.Supports(SmtpExtensions.Chunking);
        bool pipelining = Capabilities.Supports(SmtpExtensions.Pipelining);

        TransactionReplies replies;
        SmtpReply? final = null;
        if (chunking && pipelining)
        {
            // RFC 3030 section 4.2: BDAT may be pipelined with MAIL and RCPT, so the first chunk leaves with the
            // envelope and a message that fits in one chunk takes one round trip.
            WriteEnvelope(mailCommand, recipientCommands, sendData: false);
            var state = new ChunkState { PendingRecipients = recipientCommands.Length };
            final = await WriteChunksAsync(message, options.ChunkSize, state, cancellationToken).ConfigureAwait(false);
            replies = state.Envelope!.Value;
        }
        else
        {
            replies = pipelining
                ? await SendEnvelopePipelinedAsync(mailCommand, recipientCommands, !chunking, cancellationToken)
                    .ConfigureAwait(false)
                : await SendEnvelopeAsync(mailCommand, recipientCommands, !chunking, cancellationToken)
                    .ConfigureAwait(false);
        }

        var accepted = new List<SmtpRecipient>();
        var refused = new List<SmtpRefusedRecipient>();
        for (int i = 0; i < replies.Recipients.Length; i++)
        {
            SmtpReply? reply = replies.Recipients[i];
            if (reply is { IsPositiveCompletion: true })
            {
                accepted.Add(envelope.Recipients[i]);
            }
            else if (reply is not null)
            {
                refused.Add(new SmtpRefusedRecipient(envelope.Recipients[i], reply));
            }
        }

        await ThrowIfTransactionFailedAsync(replies, accepted.Count, refused, cancellationToken).ConfigureAwait(false);
        final ??= chunking
            ? await WriteChunksAsync(message, options.ChunkSize, new ChunkState(), cancellationToken)
                .ConfigureAwait(false)
            : await WriteDataAsync(message, cancellationToken).ConfigureAwait(false);
        // Only a refused envelope leaves the chunks without a reply, and ThrowIfTransactionFailedAsync threw for it.
        SmtpReply finalReply = final!;
        EnsurePositive(finalReply, "The message");
        return new SendResult(accepted, refused, finalReply);
    }

    /// <summary>Writes MAIL, every RCPT and DATA in one batch, then reads one reply per command in order.</summary>
    private async ValueTask<TransactionReplies> SendEnvelopePipelinedAsync(
        string mailCommand,
        string[] recipientCommands,
        bool sendData,
        CancellationToken cancellationToken)
    {
        WriteEnvelope(mailCommand, recipientCommands, sendData);
        await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        return await ReadEnvelopeRepliesAsync(recipientCommands.Length, sendData, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Buffers MAIL, every RCPT and, for DATA, the DATA command, without flushing.</summary>
    private void WriteEnvelope(string mailCommand, string[] recipientCommands, bool sendData)
    {
        _connection.WriteLine(mailCommand);
        foreach (string command in recipientCommands)
        {
            _connection.WriteLine(command);
        }

        if (sendData)
        {
            _connection.WriteLine("DATA");
        }
    }

    /// <summary>Reads the replies to a pipelined MAIL, its RCPT commands and, for DATA, the DATA command.</summary>
    private async ValueTask<TransactionReplies> ReadEnvelopeRepliesAsync(
        int recipientCount,
        bool sendData,
        CancellationToken cancellationToken)
    {
        // RFC 2920 section 3.1: every reply is read and evaluated, even after a failure, so the next command
        // is not paired with a stale reply.
        SmtpReply mailReply = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        var recipientReplies = new SmtpReply?[recipientCount];
        for (int i = 0; i < recipientReplies.Length; i++)
        {
            recipientReplies[i] = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        }

        SmtpReply? dataReply = sendData ? await ReadReplyAsync(cancellationToken).ConfigureAwait(false) : null;
        return new TransactionReplies(mailReply, recipientReplies, dataReply);
    }

    /// <summary>Sends MAIL, RCPT and DATA one at a time, stopping at a failed MAIL or when no recipient is left.</summary>
    private async ValueTask<TransactionReplies> SendEnvelopeAsync(
        string mailCommand,
        string[] recipientCommands,
        bool sendData,
        CancellationToken cancellationToken)
    {
        var recipientReplies = new SmtpReply?[recipientCommands.Length];
        SmtpReply mailReply = await ExecuteAsync(mailCommand, cancellationToken).ConfigureAwait(false);
        if (!mailReply.IsPositiveCompletion)
        {
            return new TransactionReplies(mailReply, recipientReplies, null);
        }

        bool anyAccepted = false;
        for (int i = 0; i < recipientCommands.Length; i++)
        {
            SmtpReply reply = await ExecuteAsync(recipientCommands[i], cancellationToken).ConfigureAwait(false);
            recipientReplies[i] = reply;
            anyAccepted |= reply.IsPositiveCompletion;
        }

        SmtpReply? dataReply = sendData && anyAccepted
            ? await ExecuteAsync("DATA", cancellationToken).ConfigureAwait(false)
            : null;
        return new TransactionReplies(mailReply, recipientReplies, dataReply);
    }

    /// <summary>
    /// Throws when the transaction cannot carry the message, after ending whatever the server still expects: an
    /// empty DATA when the server replied 354 anyway (RFC 2920 section 3.1), and RSET for an open transaction.
    /// </summary>
    private async ValueTask ThrowIfTransactionFailedAsync(
        TransactionReplies replies,
        int acceptedCount,
        List<SmtpRefusedRecipient> refused,
        CancellationToken cancellationToken)
    {
        bool dataFailed = replies.Data is { Code: not 354 };
        if (replies.Mail.IsPositiveCompletion && acceptedCount > 0 && !dataFailed)
        {
            return;
        }

        if (replies.Data is { Code: 354 })
        {
            _connection.Write(".\r\n"u8);
            await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        }

        if (replies.Mail.IsPositiveCompletion)
        {
            SmtpReply reset = await ExecuteAsync("RSET", cancellationToken).ConfigureAwait(false);
            EnsurePositive(reset, "RSET");
        }

        if (!replies.Mail.IsPositiveCompletion)
        {
            throw new SmtpCommandException("MAIL FROM failed", replies.Mail);
        }

        if (acceptedCount == 0)
        {
            throw new SmtpRecipientsRefusedException(refused);
        }

        throw new SmtpCommandException("DATA failed", replies.Data!);
    }

    private readonly record struct TransactionReplies(SmtpReply Mail, SmtpReply?[] Recipients, SmtpReply? Data);
}
