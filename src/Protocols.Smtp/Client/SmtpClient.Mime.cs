using System.IO.Pipelines;
using RawMail.Mime;

namespace RawMail.Protocols.Smtp;

public sealed partial class SmtpClient
{
    /// <summary>
    /// Sends a message with the envelope taken from its headers (<see cref="SmtpEnvelope.FromMessage"/>): Sender or
    /// the first From mailbox, and every To, Cc and Bcc mailbox. Bcc is never written into the message.
    /// </summary>
    /// <inheritdoc cref="SendAsync(SmtpEnvelope, Stream, SmtpSendOptions?, CancellationToken)"/>
    public ValueTask<SendResult> SendAsync(
        MimeMessage message,
        SmtpSendOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        return SendAsync(SmtpEnvelope.FromMessage(message), message, options, cancellationToken);
    }

    /// <summary>
    /// Sends a message with an explicit envelope. The MIME writer streams the message into a pipe while the
    /// envelope commands run, so the message is never held whole in memory.
    /// </summary>
    /// <inheritdoc cref="SendAsync(SmtpEnvelope, Stream, SmtpSendOptions?, CancellationToken)"/>
    public async ValueTask<SendResult> SendAsync(
        SmtpEnvelope envelope,
        MimeMessage message,
        SmtpSendOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(message);
        var pipe = new Pipe(new PipeOptions(
            pool: _options.Connection.MemoryPool,
            useSynchronizationContext: false));
        Task writing = WriteMessageAsync(message, pipe.Writer, cancellationToken);
        try
        {
            return await SendCoreAsync(envelope, pipe.Reader, options ?? SmtpSendOptions.Default, null,
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Completing the reader releases a writer waiting on back pressure, so the writing task always ends.
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            await writing.ConfigureAwait(false);
        }
    }

    private static async Task WriteMessageAsync(MimeMessage message, PipeWriter writer, CancellationToken token)
    {
        // Yield first, so the envelope commands start while the message is written.
        await Task.Yield();
        try
        {
            await message.WriteToAsync(writer, token).ConfigureAwait(false);
            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The reader sees the failure on its next read, which ends the send with this exception.
            await writer.CompleteAsync(ex).ConfigureAwait(false);
        }
    }
}
