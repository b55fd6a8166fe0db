using System.IO.Pipelines;
using RawMail.Protocols.Imap.Commands;
using RawMail.Protocols.Imap.Model;
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

        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        await _commandLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await IdleOnceAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _commandLock.Release();
        }
    }

    private async Task IdleOnceAsync(CancellationToken cancellationToken)
    {
        var context = new CommandContext(new ImapCommand("IDLE"));
        string tag = NextTag();
        await SendAsync(tag, context, CancellationToken.None).ConfigureAwait(false);
        TaggedCompletion? rejected = await WaitForContinuationAsync(tag, context, CancellationToken.None)
            .ConfigureAwait(false);
        if (rejected is not null)
        {
            context.Completion = rejected;
            ThrowIfFailed(context);
            return;
        }

        using var done = new IdleDone(this);
        using var reissue = new CancellationTokenSource(_options.IdleReissueInterval);
        using (cancellationToken.Register(static state => ((IdleDone)state!).Send(), done))
        using (reissue.Token.Register(static state => ((IdleDone)state!).Send(), done))
        {
            while (context.Completion is null)
            {
                await WaitForDataAsync(done.ReplyDeadline).ConfigureAwait(false);
                ImapResponse response = await ReadResponseAsync(null, CancellationToken.None).ConfigureAwait(false);
                if (response is TaggedCompletion completion)
                {
                    context.Completion = CheckTag(tag, completion, context);
                }
                else
                {
                    Dispatch(response, context);
                }
            }
        }

        await done.Completion.ConfigureAwait(false);
        ThrowIfFailed(context);
    }

    /// <summary>
    /// Waits, without the command timeout, until the server sends something. The bytes stay unread for
    /// <see cref="ReadResponseAsync"/>, which applies the timeout to the rest of the response.
    /// </summary>
    private async Task WaitForDataAsync(CancellationToken replyDeadline)
    {
        PipeReader input = _connection.Input;
        ReadResult result;
        try
        {
            result = await input.ReadAsync(replyDeadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            _connection.Abort(ProtocolErrorReason.Timeout,
                "The server did not complete IDLE after DONE within the command timeout.", ex);
            return;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            _connection.Abort(ProtocolErrorReason.ConnectionClosed, "The connection was lost during IDLE.", ex);
            return;
        }

        input.AdvanceTo(result.Buffer.Start, result.Buffer.Start);
    }

    /// <summary>Sends DONE once, from whichever of cancellation and the re-issue timer comes first.</summary>
    private sealed class IdleDone(ImapClient client) : IDisposable
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
