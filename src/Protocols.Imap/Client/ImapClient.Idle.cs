using RawMail.Protocols.Imap.Commands;
using RawMail.Transport;

namespace RawMail.Protocols.Imap;

public sealed partial class ImapClient
{
    /// <summary>
    /// Waits in IDLE (RFC 2177) until <paramref name="cancellationToken"/> is canceled, raising
    /// <see cref="CountChanged"/>, <see cref="MessagesExpunged"/> and <see cref="FlagsChanged"/> as the server reports
    /// changes. Cancellation sends DONE and returns normally once the server completed the IDLE. Every
    /// <see cref="ImapClientOptions.IdleReissueInterval"/> the IDLE is ended and started again, before the server's
    /// inactivity timeout.
    /// </summary>
    /// <exception cref="MailCommandException">The server does not offer IDLE or rejected it.</exception>
    public async Task IdleAsync(CancellationToken cancellationToken)
    {
        if (!HasCapability("IDLE"))
        {
            throw new MailCommandException(CommandErrorReason.NotSupported, "The server does not offer IDLE",
                "IDLE"u8);
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            await IdleOnceAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs one IDLE command until cancellation or the re-issue timer sends DONE. Commands called meanwhile wait
    /// until the IDLE has completed.
    /// </summary>
    private async Task IdleOnceAsync(CancellationToken cancellationToken)
    {
        using var done = new IdleDone(this);
        var context = new CommandContext(new ImapCommand("IDLE")) { Idle = done };
        PendingCommand pending = Submit(context);
        try
        {
            await WaitForAdmissionAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        ExpectContinuations(pending);
        await SendCommandAsync(pending, CancellationToken.None).ConfigureAwait(false);
        if (await NextContinuationAsync(pending, CancellationToken.None).ConfigureAwait(false) is null)
        {
            // The server completed IDLE without "+", which is a rejection, or the connection failed.
            await pending.Completed.Task.ConfigureAwait(false);
            ThrowIfFailed(context);
            return;
        }

        using var reissue = new CancellationTokenSource(_options.IdleReissueInterval);
        using (cancellationToken.Register(static state => ((IdleDone)state!).Send(), done))
        using (reissue.Token.Register(static state => ((IdleDone)state!).Send(), done))
        {
            await pending.Completed.Task.ConfigureAwait(false);
        }

        await done.Completion.ConfigureAwait(false);
        ThrowIfFailed(context);
    }

    /// <summary>Sends DONE once, from whichever of cancellation and the re-issue timer comes first.</summary>
    internal sealed class IdleDone(ImapClient client) : IDisposable
    {
        private readonly CancellationTokenSource _replyDeadline = new();
        private int _sent;
        private Task _completion = Task.CompletedTask;

        /// <summary>Canceled when the server has not replied to DONE within the command timeout.</summary>
        public CancellationToken ReplyDeadline => _replyDeadline.Token;

        public Task Completion => _completion;

        public void Send()
        {
            if (Interlocked.Exchange(ref _sent, 1) != 0)
            {
                return;
            }

            _completion = Task.Run(async () =>
            {
                // RFC 2177 section 3: DONE ends the IDLE. The reader is waiting meanwhile, which is allowed because
                // the connection permits one read and one write at a time.
                client._connection.WriteLine("DONE");
                await client._connection.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                _replyDeadline.CancelAfter(client._options.Connection.CommandTimeout);
            });
        }

        public void Dispose()
        {
            _replyDeadline.Dispose();
        }
    }
}
