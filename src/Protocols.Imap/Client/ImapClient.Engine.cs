using System.Buffers;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using RawMail.Protocols.Imap.Commands;
using RawMail.Protocols.Imap.Model;
using RawMail.Transport;

namespace RawMail.Protocols.Imap;

/// <summary>
/// The command engine: commands are admitted in submission order when nothing in flight conflicts with them
/// (<see cref="PipelineRules"/>), take their tag at admission, write in tag order one after another, and wait for
/// the reader (ImapClient.Reader.cs) to complete them by tag.
/// </summary>
public sealed partial class ImapClient
{
    private static readonly byte[] s_crlf = "\r\n"u8.ToArray();

    // The largest literal sent without waiting for "+" under LITERAL- (RFC 7888 section 5).
    private const int LiteralMinusLimit = 4096;

    // Guards the queue, the in-flight list, the tag table and the reader's running flag.
    private readonly Lock _gate = new();
    private readonly LinkedList<PendingCommand> _queue = new();
    private readonly List<PendingCommand> _inFlight = [];
    private readonly Dictionary<string, PendingCommand> _byTag = new(StringComparer.Ordinal);
    private Task _lastSendTurn = Task.CompletedTask;
    private Exception? _failure;

    /// <summary>Runs one command and returns what it collected; NO and BAD throw.</summary>
    private async Task<CommandContext> ExecuteAsync(ImapCommand command, CancellationToken cancellationToken,
        CommandContext? context = null)
    {
        context ??= new CommandContext(command);
        PendingCommand pending = Submit(context);
        await RunAsync(pending, cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(context);
        return context;
    }

    /// <summary>Waits for admission, writes the command and waits for its tagged completion.</summary>
    private async Task RunAsync(PendingCommand pending, CancellationToken cancellationToken)
    {
        await WaitForAdmissionAsync(pending, cancellationToken).ConfigureAwait(false);
        await SendCommandAsync(pending, cancellationToken).ConfigureAwait(false);
        await WaitForCompletionAsync(pending, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues the command and admits it at once when nothing before it conflicts.</summary>
    private PendingCommand Submit(CommandContext context)
    {
        var pending = new PendingCommand(context, RulesFor(context));
        lock (_gate)
        {
            ThrowIfFailedEarlier();
            _queue.AddLast(pending.Node);
            AdmitQueued();
        }

        return pending;
    }

    /// <summary>Throws once the connection failed, with the failure that closed it as the inner exception.</summary>
    private void ThrowIfFailedEarlier()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw new MailProtocolException(ProtocolErrorReason.ConnectionBroken,
                "The connection is closed after an earlier failure; open a new connection.", failure);
        }
    }

    private PipelineRules RulesFor(CommandContext context)
    {
        if (!_options.Pipelining)
        {
            return PipelineRules.ExclusiveCommand;
        }

        // A literal that waits for "+" keeps the command line open across a round trip, and only one command at a
        // time can be the one the server's "+" is meant for.
        foreach (CommandPart part in context.Command.Parts)
        {
            if (part.Kind != CommandPartKind.Text && !CanSendNonSynchronizing(part.Length))
            {
                return PipelineRules.ExclusiveCommand;
            }
        }

        return context.Rules ?? PipelineRules.ForName(context.Command.Name);
    }

    /// <summary>Admits queued commands from the front while they conflict with nothing in flight.</summary>
    private void AdmitQueued()
    {
        while (_queue.First is { } node)
        {
            PendingCommand next = node.Value;
            foreach (PendingCommand running in _inFlight)
            {
                if (next.Rules.ConflictsWith(running.Rules))
                {
                    return;
                }
            }

            _queue.RemoveFirst();
            next.Tag = NextTag();
            next.PreviousSendTurn = _lastSendTurn;
            _lastSendTurn = next.SendTurn.Task;
            _inFlight.Add(next);
            _byTag.Add(next.Tag, next);
            next.Admitted.TrySetResult();
        }
    }

    private string NextTag()
    {
        return "A" + (++_tagCounter).ToString("D4", CultureInfo.InvariantCulture);
    }

    private async Task WaitForAdmissionAsync(PendingCommand pending, CancellationToken cancellationToken)
    {
        try
        {
            await pending.Admitted.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Withdraw(pending);
            throw;
        }
    }

    /// <summary>Takes back a command that was never written, passing its send turn on.</summary>
    private void Withdraw(PendingCommand pending)
    {
        lock (_gate)
        {
            if (pending.Node.List is not null)
            {
                _queue.Remove(pending.Node);
                AdmitQueued();
                return;
            }

            if (pending.Tag is { } tag)
            {
                _byTag.Remove(tag);
            }

            ReleaseLocked(pending);
        }

        _ = PassSendTurnAsync(pending);
    }

    private static async Task PassSendTurnAsync(PendingCommand pending)
    {
        await pending.PreviousSendTurn.ConfigureAwait(false);
        pending.SendTurn.TrySetResult();
    }

    /// <summary>Ends a command's hold on its admission slot and admits what waited for it.</summary>
    private void Release(PendingCommand pending)
    {
        lock (_gate)
        {
            ReleaseLocked(pending);
        }
    }

    private void ReleaseLocked(PendingCommand pending)
    {
        if (_inFlight.Remove(pending))
        {
            AdmitQueued();
        }
    }

    /// <summary>
    /// Writes the command once the commands admitted before it have written theirs. Caller cancellation takes the
    /// command back while it waits for its turn. Once writing began, only a literal streamed from the caller's
    /// stream or one waiting for "+" observes cancellation, and then the connection closes because the command
    /// cannot be finished.
    /// </summary>
    private async Task SendCommandAsync(PendingCommand pending, CancellationToken cancellationToken)
    {
        try
        {
            await pending.PreviousSendTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Withdraw(pending);
            throw;
        }

        try
        {
            ThrowIfFailedEarlier();
            pending.Context.OnSending?.Invoke();
            await WriteCommandAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!pending.HasWritten && ex is not MailProtocolException)
        {
            Withdraw(pending);
            throw;
        }
        catch (Exception ex)
        {
            // The command is half written, so the server would read the next command as part of it.
            Exception failure = ex is MailProtocolException ? ex : new MailProtocolException(
                ProtocolErrorReason.ConnectionBroken,
                $"Writing {pending.Name} failed, so the connection was closed: {ex.Message}", ex);
            await FailAsync(failure).ConfigureAwait(false);
            throw;
        }
        finally
        {
            pending.SendTurn.TrySetResult();
        }
    }

    /// <summary>
    /// Writes the tagged command. A literal that needs a go-ahead (RFC 9051 section 4.3, RFC 7888) waits for the
    /// server's "+"; when the tagged completion arrives instead, the rest of the command is not sent.
    /// </summary>
    private async Task WriteCommandAsync(PendingCommand pending, CancellationToken cancellationToken)
    {
        pending.HasWritten = true;
        _connection.Write(Encoding.ASCII.GetBytes(pending.Tag + " "));
        foreach (CommandPart part in pending.Context.Command.Parts)
        {
            if (part.Kind == CommandPartKind.Text)
            {
                _connection.Write(part.Bytes);
                continue;
            }

            bool nonSynchronizing = CanSendNonSynchronizing(part.Length);
            string announcement = (part.IsLiteral8 ? "~{" : "{") + part.Length.ToString(CultureInfo.InvariantCulture)
                + (nonSynchronizing ? "+}\r\n" : "}\r\n");
            _connection.Write(Encoding.ASCII.GetBytes(announcement));
            if (!nonSynchronizing && !await WaitForGoAheadAsync(pending, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await WriteLiteralAsync(part, pending, cancellationToken).ConfigureAwait(false);
        }

        _connection.Write(s_crlf);
        MarkAwaitingResponse(pending);
        await _connection.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Flushes the announcement and waits for "+"; false when the server completed the command instead.</summary>
    private async Task<bool> WaitForGoAheadAsync(PendingCommand pending, CancellationToken cancellationToken)
    {
        ExpectContinuations(pending);
        MarkAwaitingResponse(pending);
        await _connection.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return await NextContinuationAsync(pending, cancellationToken).ConfigureAwait(false) is not null;
    }

    private bool CanSendNonSynchronizing(long length)
    {
        return HasCapability("LITERAL+") || (HasCapability("LITERAL-") && length <= LiteralMinusLimit);
    }

    private async Task WriteLiteralAsync(CommandPart part, PendingCommand pending, CancellationToken cancellationToken)
    {
        switch (part.Kind)
        {
            case CommandPartKind.SecretLiteral:
                _connection.WriteSecret(part.Bytes);
                break;
            case CommandPartKind.Literal:
                _connection.WritePayload(part.Bytes);
                break;
            default:
                await WriteStreamAsync(part.Stream!, part.Length, pending, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Sends <paramref name="length"/> octets of the caller's stream in chunks, flushing each one.</summary>
    private async Task WriteStreamAsync(Stream source, long length, PendingCommand pending,
        CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(_options.AppendChunkSize);
        try
        {
            long remaining = length;
            while (remaining > 0)
            {
                int want = (int)Math.Min(buffer.Length, remaining);
                int read = await source.ReadAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    // The literal was announced with its length, so the command cannot be finished or taken back.
                    throw new MailProtocolException(ProtocolErrorReason.ConnectionBroken,
                        $"The message stream ended after {length - remaining} of {length} octets; the connection "
                            + $"was closed because {pending.Name} could not be completed.");
                }

                _connection.WritePayload(buffer.AsSpan(0, read));
                await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Lets the reader hand continuation requests to this command.</summary>
    private void ExpectContinuations(PendingCommand pending)
    {
        lock (_gate)
        {
            pending.Continuations ??= Channel.CreateUnbounded<ContinuationRequest>(
                new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        }
    }

    /// <summary>Returns the next "+" for the command, or null once the command has completed.</summary>
    private async Task<ContinuationRequest?> NextContinuationAsync(PendingCommand pending,
        CancellationToken cancellationToken)
    {
        ChannelReader<ContinuationRequest> reader = pending.Continuations!.Reader;
        try
        {
            if (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)
                && reader.TryRead(out ContinuationRequest? request))
            {
                return request;
            }
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            // The server waits for the rest of the command, which will not come.
            await FailAsync(new MailProtocolException(ProtocolErrorReason.ConnectionBroken,
                $"{pending.Name} was canceled while the server waited for its data; the connection was closed.", ex))
                .ConfigureAwait(false);
            throw;
        }

        return null;
    }

    /// <summary>Tells the reader that a response to the command may come, starting the reader when it is idle.</summary>
    private void MarkAwaitingResponse(PendingCommand pending)
    {
        lock (_gate)
        {
            if (pending.AwaitingResponse || pending.IsCompleted || _failure is not null)
            {
                return;
            }

            pending.AwaitingResponse = true;
            _awaitingCount++;
            if (!_readerRunning)
            {
                _readerRunning = true;
                _readerTask = Task.Run(RunReaderAsync);
            }
        }
    }

    /// <summary>
    /// Waits for the tagged completion. When the caller cancels, the command stays in flight: the reader still
    /// reads its completion and drops its results, so the other commands stay in step.
    /// </summary>
    private async Task WaitForCompletionAsync(PendingCommand pending, CancellationToken cancellationToken)
    {
        try
        {
            await pending.Completed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            pending.Abandon();
            if (pending.Context.HoldsAfterCompletion)
            {
                // STARTTLS and COMPRESS change the connection after their completion, which no one would do now.
                await FailAsync(new MailProtocolException(ProtocolErrorReason.ConnectionBroken,
                    $"{pending.Name} was canceled; the connection was closed because its state is unknown."))
                    .ConfigureAwait(false);
            }

            throw;
        }
    }

    private static void ThrowIfFailed(CommandContext context)
    {
        TaggedCompletion completion = context.Completion!;
        if (completion.Status is ImapResponseStatus.Ok or ImapResponseStatus.Bye)
        {
            return;
        }

        CommandErrorReason reason = completion.Status == ImapResponseStatus.No
            ? CommandErrorReason.No
            : CommandErrorReason.Bad;
        throw new ImapCommandException(reason, $"{context.Command.Name} failed with {completion.Status.ToString()
            .ToUpperInvariant()}", completion.Text, completion.Code);
    }
}
