using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using RawMail.Protocols.Imap.Commands;
using RawMail.Protocols.Imap.Model;
using RawMail.Protocols.Imap.Parsing;
using RawMail.Transport;

namespace RawMail.Protocols.Imap;

public sealed partial class ImapClient
{
    private static readonly byte[] s_crlf = "\r\n"u8.ToArray();

    // The largest literal sent without waiting for "+" under LITERAL- (RFC 7888 section 5).
    private const int LiteralMinusLimit = 4096;

    private readonly List<(StreamedLiteral Literal, byte[] Data)> _collectedLiterals = [];
    private byte[]? _collecting;

    /// <summary>Runs one command under the command lock and returns what it collected; NO and BAD throw.</summary>
    private async Task<CommandContext> ExecuteAsync(ImapCommand command, CancellationToken cancellationToken,
        CommandContext? context = null)
    {
        context ??= new CommandContext(command);
        await _commandLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RunLockedAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not MailProtocolException)
        {
            // An event handler or a caller stream failed with the command half read, so the rest of its responses
            // would reach the next command. Closing is the only way to stay out of an unknown state.
            await _connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _commandLock.Release();
        }

        ThrowIfFailed(context);
        return context;
    }

    /// <summary>Sends the command and reads up to its tagged completion; the caller holds the command lock.</summary>
    private async Task RunLockedAsync(CommandContext context, CancellationToken cancellationToken)
    {
        string tag = NextTag();
        TaggedCompletion? completion = await SendAsync(tag, context, cancellationToken).ConfigureAwait(false);
        context.Completion = completion ?? await ReadCompletionAsync(tag, context, cancellationToken)
            .ConfigureAwait(false);
        if (context.Completion.Code is { } code)
        {
            HandleCode(code, context.Completion.Text);
        }
    }

    private string NextTag()
    {
        return "A" + (++_tagCounter).ToString("D4", CultureInfo.InvariantCulture);
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

    /// <summary>
    /// Writes the tagged command. A literal that needs a go-ahead (RFC 9051 section 4.3, RFC 7888) waits for the
    /// server's "+". When a tagged completion arrives instead, it ends the command early and is returned.
    /// </summary>
    private async Task<TaggedCompletion?> SendAsync(string tag, CommandContext context,
        CancellationToken cancellationToken)
    {
        _connection.Write(Encoding.ASCII.GetBytes(tag + " "));
        foreach (CommandPart part in context.Command.Parts)
        {
            if (part.Kind == CommandPartKind.Text)
            {
                _connection.Write(part.Bytes);
                continue;
            }

            bool nonSynchronizing = CanSendNonSynchronizing(part.Length);
            string announcement = "{" + part.Length.ToString(CultureInfo.InvariantCulture)
                + (nonSynchronizing ? "+}\r\n" : "}\r\n");
            _connection.Write(Encoding.ASCII.GetBytes(announcement));
            if (!nonSynchronizing)
            {
                await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
                TaggedCompletion? rejected = await WaitForContinuationAsync(tag, context, cancellationToken)
                    .ConfigureAwait(false);
                if (rejected is not null)
                {
                    return rejected;
                }
            }

            await WriteLiteralAsync(part, cancellationToken).ConfigureAwait(false);
        }

        _connection.Write(s_crlf);
        await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        return null;
    }

    private bool CanSendNonSynchronizing(long length)
    {
        return HasCapability("LITERAL+") || (HasCapability("LITERAL-") && length <= LiteralMinusLimit);
    }

    private async Task WriteLiteralAsync(CommandPart part, CancellationToken cancellationToken)
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
                await WriteStreamAsync(part.Stream!, part.Length, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Sends <paramref name="length"/> octets of the caller's stream in chunks, flushing each one.</summary>
    private async Task WriteStreamAsync(Stream source, long length, CancellationToken cancellationToken)
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
                    _connection.Abort(ProtocolErrorReason.ConnectionBroken,
                        $"The message stream ended after {length - remaining} of {length} octets; the connection "
                            + "was closed because the command could not be completed.");
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

    private async Task<TaggedCompletion?> WaitForContinuationAsync(string tag, CommandContext context,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            ImapResponse response = await ReadResponseAsync(context.LiteralTarget, cancellationToken)
                .ConfigureAwait(false);
            switch (response)
            {
                case ContinuationRequest:
                    return null;
                case TaggedCompletion completion:
                    return CheckTag(tag, completion, context);
                default:
                    Dispatch(response, context);
                    break;
            }
        }
    }

    /// <summary>Reads untagged data, dispatching it, until the tagged completion of <paramref name="tag"/>.</summary>
    private async Task<TaggedCompletion> ReadCompletionAsync(string tag, CommandContext context,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            ImapResponse response = await ReadResponseAsync(context.LiteralTarget, cancellationToken)
                .ConfigureAwait(false);
            switch (response)
            {
                case TaggedCompletion completion:
                    return CheckTag(tag, completion, context);
                case ContinuationRequest:
                    _connection.Abort(ProtocolErrorReason.UnexpectedResponse,
                        $"The server sent a continuation request during {context.Command.Name}, which sends no "
                            + "more data.");
                    break;
                default:
                    Dispatch(response, context);
                    break;
            }
        }
    }

    private TaggedCompletion CheckTag(string tag, TaggedCompletion completion, CommandContext context)
    {
        if (completion.Tag != tag)
        {
            _connection.Abort(ProtocolErrorReason.UnexpectedResponse,
                $"The server completed tag '{ProtocolText.Escape(completion.Tag, 32)}' while {tag} was running.");
        }

        if (completion.Status == ImapResponseStatus.Bye && !context.ExpectsBye)
        {
            // Some servers reply with a tagged BYE when they end the session, and only LOGOUT treats it as success.
            _connection.Abort(ProtocolErrorReason.ServerShutdown,
                "Connection closed by server: " + ProtocolText.Escape(completion.Text, 512));
        }

        return completion;
    }

    private void Dispatch(ImapResponse response, CommandContext context)
    {
        HandleUntagged(response, context);
        if (context.OnUntagged is { } handler)
        {
            handler(response);
        }
        else
        {
            context.Untagged.Add(response);
        }
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
            // NOTE: a malformed response is skipped whole so the session stays in step. If it was the tagged
            // completion, the command waits until the command timeout.
            consumed = reader.Position;
            response = null;
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
}
