using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Threading.Channels;
using RawMail.Protocols.Imap.Model;
using RawMail.Protocols.Imap.Parsing;
using RawMail.Transport;

namespace RawMail.Protocols.Imap;

/// <summary>
/// The single reader. It runs while any written command waits for a response and completes commands by tag. It
/// hands "+" to the command that waits for it and routes untagged data to the session state, the events and the
/// command whose results it is.
/// </summary>
public sealed partial class ImapClient
{
    private readonly List<(StreamedLiteral Literal, byte[] Data)> _collectedLiterals = [];
    private byte[]? _collecting;
    private int _awaitingCount;
    private bool _readerRunning;
    private Task _readerTask = Task.CompletedTask;

    private async Task RunReaderAsync()
    {
        try
        {
            while (true)
            {
                Stream? literalTarget = null;
                IdleDone? idle = null;
                lock (_gate)
                {
                    if (_awaitingCount == 0 || _failure is not null)
                    {
                        _readerRunning = false;
                        return;
                    }

                    foreach (PendingCommand pending in _byTag.Values)
                    {
                        idle = pending.IsIdling ? pending.Context.Idle : idle;
                        if (pending.Context.LiteralTarget is { } target)
                        {
                            literalTarget = pending.IsAbandoned ? Stream.Null : target;
                        }
                    }
                }

                if (idle is not null)
                {
                    await WaitForDataAsync(idle.ReplyDeadline).ConfigureAwait(false);
                }

                ImapResponse response = await ReadResponseAsync(literalTarget, CancellationToken.None)
                    .ConfigureAwait(false);
                await RouteAsync(response).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // A read, a parse, an event handler or a caller's stream failed with a response half handled, so the
            // rest of the stream cannot be matched to commands any more.
            await FailAsync(ex).ConfigureAwait(false);
        }
    }

    private async ValueTask RouteAsync(ImapResponse response)
    {
        switch (response)
        {
            case TaggedCompletion completion:
                CompleteCommand(completion);
                break;
            case ContinuationRequest request:
                DeliverContinuation(request);
                break;
            case MalformedCompletion malformed:
                _connection.Abort(ProtocolErrorReason.MalformedResponse,
                    $"The server's completion of {malformed.Tag} cannot be parsed, so the outcome of the command is "
                        + "unknown: " + malformed.Message);
                break;
            default:
                await DispatchUntaggedAsync(response).ConfigureAwait(false);
                break;
        }
    }

    private void CompleteCommand(TaggedCompletion completion)
    {
        PendingCommand? pending;
        lock (_gate)
        {
            _byTag.TryGetValue(completion.Tag, out pending);
        }

        if (pending is null)
        {
            _connection.Abort(ProtocolErrorReason.UnexpectedResponse,
                $"The server completed tag '{ProtocolText.Escape(completion.Tag, 32)}', which no command is waiting "
                    + "for.");
        }

        if (completion.Status == ImapResponseStatus.Bye && !pending.Context.ExpectsBye)
        {
            // Some servers reply with a tagged BYE when they end the session, and only LOGOUT treats it as success.
            _connection.Abort(ProtocolErrorReason.ServerShutdown,
                "Connection closed by server: " + ProtocolText.Escape(completion.Text, 512));
        }

        pending.Context.Completion = completion;
        if (completion.Code is { } code)
        {
            HandleCode(code, completion.Text);
        }

        pending.Context.OnCompleted?.Invoke(completion);
        lock (_gate)
        {
            _byTag.Remove(completion.Tag);
            if (pending.AwaitingResponse)
            {
                _awaitingCount--;
            }

            pending.IsCompleted = true;
            if (!pending.Context.HoldsAfterCompletion)
            {
                ReleaseLocked(pending);
            }
        }

        pending.Continuations?.Writer.TryComplete();
        pending.Completed.TrySetResult(completion);
    }

    private void DeliverContinuation(ContinuationRequest request)
    {
        PendingCommand? target = null;
        lock (_gate)
        {
            foreach (PendingCommand pending in _byTag.Values)
            {
                if (pending.Continuations is not null)
                {
                    target = pending;
                    pending.IsIdling = pending.Context.Idle is not null;
                }
            }
        }

        if (target is null)
        {
            _connection.Abort(ProtocolErrorReason.UnexpectedResponse,
                "The server sent a continuation request, but no command is waiting to send more data.");
        }

        target.Continuations!.Writer.TryWrite(request);
    }

    private async ValueTask DispatchUntaggedAsync(ImapResponse response)
    {
        PendingCommand? owner;
        bool expectsBye;
        lock (_gate)
        {
            owner = FindOwnerLocked(response);
            expectsBye = _inFlight.Exists(static p => p.Context.ExpectsBye);
        }

        HandleUntagged(response, expectsBye);
        if (owner is null || owner.IsAbandoned)
        {
            return;
        }

        CommandContext context = owner.Context;
        if (context.FetchSink is { } sink && response is FetchResponse fetch)
        {
            try
            {
                await sink.WriteAsync(fetch, context.FetchSinkStopped).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
            {
                // The consumer stopped reading; the rest of its messages are dropped.
            }
        }
        else if (context.OnUntagged is { } handler)
        {
            handler(response);
        }
        else if ((context.Rules ?? PipelineRules.ForName(context.Command.Name)).Collects(response))
        {
            context.Untagged.Add(response);
        }
    }

    /// <summary>
    /// Finds the command whose results <paramref name="response"/> is. With one command in flight, that command
    /// takes everything. With several, the response's kind and its tag, mailbox, UID or sequence number decide. The
    /// admission rules keep two commands that could both claim a response from being in flight together.
    /// </summary>
    private PendingCommand? FindOwnerLocked(ImapResponse response)
    {
        if (_byTag.Count <= 1)
        {
            return _byTag.Count == 0 ? null : _byTag.Values.First();
        }

        // NOTE: a server that announces ESEARCH but replies to SEARCH RETURN with plain SEARCH data leaves that data
        // without an owner while two searches are in flight, so both return no matches.
        return response switch
        {
            FetchResponse fetch => FindFetchOwner(fetch),
            SearchResponse => FindOnly(ResultKind.Search),
            ESearchResponse { Tag: { } tag } when _byTag.TryGetValue(tag, out PendingCommand? tagged) => tagged,
            ESearchResponse => FindOnly(ResultKind.Search),
            MailboxInfo => FindOnly(ResultKind.List),
            MailboxStatus status => FindStatusOwner(status),
            IdResponse => FindOnly(ResultKind.Id),
            NamespaceResponse => FindOnly(ResultKind.Namespace),
            UntaggedStatusResponse { Code: CopyUidResponseCode } => FindOnly(ResultKind.CopyUid),
            VanishedResponse { IsEarlier: true } => FindFirst(static p => p.Rules.CollectsVanished),
            _ => null,
        };
    }

    private PendingCommand? FindFetchOwner(FetchResponse fetch)
    {
        PendingCommand? owner = FindFirst(p => p.Rules.Results == ResultKind.Fetch
            && (p.Rules.UsesSequenceNumbers
                ? p.Rules.Contains(fetch.SequenceNumber)
                : fetch.Uid is { } uid && p.Rules.Contains(uid)));

        // A server that leaves out the UID in a UID FETCH response can still be served while one FETCH runs.
        return owner ?? (fetch.Uid is null ? FindOnly(ResultKind.Fetch) : null);
    }

    private PendingCommand? FindStatusOwner(MailboxStatus status)
    {
        return FindFirst(p => p.Rules.Results == ResultKind.Status
                && string.Equals(p.Rules.StatusMailbox, status.EncodedName, StringComparison.Ordinal))
            ?? FindFirst(static p => p.Rules.ListsStatus)
            ?? FindOnly(ResultKind.Status);
    }

    private PendingCommand? FindFirst(Func<PendingCommand, bool> predicate)
    {
        foreach (PendingCommand pending in _byTag.Values)
        {
            if (predicate(pending))
            {
                return pending;
            }
        }

        return null;
    }

    /// <summary>Returns the one command in flight that collects <paramref name="kind"/>, or null when there are more.</summary>
    private PendingCommand? FindOnly(ResultKind kind)
    {
        PendingCommand? found = null;
        foreach (PendingCommand pending in _byTag.Values)
        {
            if (pending.Rules.Results == kind)
            {
                if (found is not null)
                {
                    return null;
                }

                found = pending;
            }
        }

        return found;
    }

    /// <summary>
    /// Closes the connection and fails every queued and in-flight command with <paramref name="failure"/>. A caller
    /// that stopped waiting for its command gets nothing.
    /// </summary>
    private async Task FailAsync(Exception failure)
    {
        List<PendingCommand> pending;
        lock (_gate)
        {
            _failure ??= failure;
            _readerRunning = false;
            pending = [.. _inFlight, .. _queue];
            _inFlight.Clear();
            _queue.Clear();
            _byTag.Clear();
            _awaitingCount = 0;
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        foreach (PendingCommand command in pending)
        {
            // A queued command learns of the failure from its admission, an admitted one from its completion, and a
            // caller that stopped waiting from neither, so no faulted task is left unobserved.
            if (command.Tag is null)
            {
                command.Admitted.TrySetException(failure);
            }
            else if (command.IsAbandoned)
            {
                command.Completed.TrySetCanceled();
            }
            else
            {
                command.Completed.TrySetException(failure);
            }

            command.Continuations?.Writer.TryComplete();
        }
    }

    /// <summary>Waits until the reader has stopped, so that nothing reads while the connection changes.</summary>
    private Task WaitForReaderStoppedAsync()
    {
        lock (_gate)
        {
            return _readerTask;
        }
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

    /// <summary>
    /// Reads the next complete response. A FETCH body payload that the parser streams goes to
    /// <paramref name="literalTarget"/>, or into memory when it is null.
    /// </summary>
    private async ValueTask<ImapResponse> ReadResponseAsync(Stream? literalTarget,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult read = await _connection.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = read.Buffer;
            SequencePosition consumed = buffer.Start;
            SequencePosition examined = buffer.End;
            try
            {
                while (true)
                {
                    if (_parser.PendingLiteral is { Remaining: > 0 } literal)
                    {
                        ReadOnlySequence<byte> chunk = TakeLiteralChunk(buffer.Slice(consumed), ref consumed);
                        await DeliverLiteralChunkAsync(chunk, literal, literalTarget, cancellationToken)
                            .ConfigureAwait(false);
                        if (literal.Remaining > 0)
                        {
                            break;
                        }
                    }

                    ImapParseStatus status = ParseNext(buffer.Slice(consumed), ref consumed,
                        out ImapResponse? response);
                    if (status == ImapParseStatus.NeedMoreData)
                    {
                        break;
                    }

                    if (status == ImapParseStatus.LiteralStarted)
                    {
                        BeginLiteral(_parser.PendingLiteral!, literalTarget);
                        continue;
                    }

                    if (response is not null)
                    {
                        examined = consumed;
                        return literalTarget is null ? AttachCollectedLiterals(response) : response;
                    }
                }
            }
            finally
            {
                _connection.AdvanceTo(consumed, examined);
            }

            if (read.IsCompleted)
            {
                _connection.Abort(ProtocolErrorReason.ConnectionClosed,
                    "The server closed the connection before the response was complete.");
            }
        }
    }

    private ImapParseStatus ParseNext(ReadOnlySequence<byte> unread, ref SequencePosition consumed,
        out ImapResponse? response)
    {
        var reader = new SequenceReader<byte>(unread);
        ImapParseStatus status;
        try
        {
            status = _parser.TryParse(ref reader, out response);
        }
        catch (ImapParseException ex) when (ex.IsResponseConsumed)
        {
            // A malformed response is skipped whole so the session stays in step. When it was the tagged completion
            // of a command in flight, that command's outcome is unknown and it must not wait for its timeout.
            consumed = reader.Position;
            string? tag = FindPendingTag(unread.Slice(0, reader.Position));
            response = tag is null ? null : new MalformedCompletion(tag, ex.Message);
            _collectedLiterals.Clear();
            _collecting = null;
            return ImapParseStatus.Response;
        }
        catch (ImapParseException ex)
        {
            ProtocolErrorReason reason = ex.Reason switch
            {
                ImapParseErrorReason.LineTooLong => ProtocolErrorReason.LineTooLong,
                ImapParseErrorReason.LiteralTooLarge or ImapParseErrorReason.ResponseTooLarge
                    => ProtocolErrorReason.LiteralTooLarge,
                _ => ProtocolErrorReason.MalformedResponse,
            };
            _connection.Abort(reason, "The server sent a response that cannot be parsed: " + ex.Message, ex);
            throw;
        }

        if (status != ImapParseStatus.NeedMoreData)
        {
            consumed = reader.Position;
        }

        return status;
    }

    /// <summary>Returns the tag that <paramref name="skipped"/> starts with when a command in flight has it.</summary>
    private string? FindPendingTag(ReadOnlySequence<byte> skipped)
    {
        Span<byte> head = stackalloc byte[33];
        int length = (int)Math.Min(head.Length, skipped.Length);
        skipped.Slice(0, length).CopyTo(head);
        int space = head[..length].IndexOf((byte)' ');
        if (space <= 0)
        {
            return null;
        }

        string tag = Encoding.ASCII.GetString(head[..space]);
        lock (_gate)
        {
            return _byTag.ContainsKey(tag) ? tag : null;
        }
    }

    private ReadOnlySequence<byte> TakeLiteralChunk(ReadOnlySequence<byte> unread, ref SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(unread);
        _parser.ReadLiteralChunk(ref reader, out ReadOnlySequence<byte> chunk);
        consumed = reader.Position;
        return chunk;
    }

    private void BeginLiteral(StreamedLiteral literal, Stream? literalTarget)
    {
        if (literalTarget is null)
        {
            // Kept whole because the caller asked for the payload in memory; the parser already bounded its size
            // by MaxLiteralSize.
            _collecting = new byte[literal.Length];
            _collectedLiterals.Add((literal, _collecting));
        }
    }

    private async ValueTask DeliverLiteralChunkAsync(ReadOnlySequence<byte> chunk, StreamedLiteral literal,
        Stream? literalTarget, CancellationToken cancellationToken)
    {
        if (literalTarget is null)
        {
            long offset = literal.Length - literal.Remaining - chunk.Length;
            chunk.CopyTo(_collecting.AsSpan((int)offset));
            return;
        }

        foreach (ReadOnlyMemory<byte> segment in chunk)
        {
            await literalTarget.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Puts payloads that were streamed into memory back into the FETCH response they belong to.</summary>
    private ImapResponse AttachCollectedLiterals(ImapResponse response)
    {
        if (_collectedLiterals.Count == 0)
        {
            return response;
        }

        if (response is FetchResponse fetch)
        {
            var sections = new List<FetchBodySection>(fetch.Sections.Count);
            int next = 0;
            foreach (FetchBodySection section in fetch.Sections)
            {
                if (section.IsStreamed && next < _collectedLiterals.Count)
                {
                    byte[] data = _collectedLiterals[next++].Data;
                    sections.Add(new FetchBodySection(section.ItemName, section.Section, section.Origin, data,
                        data.Length, isStreamed: false));
                }
                else
                {
                    sections.Add(section);
                }
            }

            fetch.Sections = sections;
        }

        _collectedLiterals.Clear();
        _collecting = null;
        return response;
    }

    /// <summary>A skipped malformed response that began with the tag of a command in flight.</summary>
    private sealed class MalformedCompletion(string tag, string message) : ImapResponse
    {
        public string Tag { get; } = tag;

        public string Message { get; } = message;
    }
}
