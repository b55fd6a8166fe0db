using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap.Parsing;

/// <summary>What <see cref="ImapResponseParser.TryParse"/> produced.</summary>
public enum ImapParseStatus
{
    /// <summary>No complete response is buffered; nothing was consumed.</summary>
    NeedMoreData,

    /// <summary>A complete response was parsed and consumed.</summary>
    Response,

    /// <summary>
    /// A FETCH body payload at or above <see cref="ImapParserOptions.StreamingThreshold"/> starts next;
    /// <see cref="ImapResponseParser.PendingLiteral"/> describes it. Read it with
    /// <see cref="ImapResponseParser.ReadLiteralChunk"/>, then call TryParse again.
    /// </summary>
    LiteralStarted,
}

/// <summary>A FETCH body payload handed to the caller in chunks instead of being kept in memory.</summary>
public sealed class StreamedLiteral
{
    internal StreamedLiteral(uint sequenceNumber, uint? uid, string itemName, string section, uint? origin,
        long length)
    {
        SequenceNumber = sequenceNumber;
        Uid = uid;
        ItemName = itemName;
        Section = section;
        Origin = origin;
        Length = length;
        Remaining = length;
    }

    public uint SequenceNumber { get; }

    /// <summary>The UID, when the server sent it before the payload.</summary>
    public uint? Uid { get; }

    /// <summary>The item name, for example <c>BODY[1.1]</c>.</summary>
    public string ItemName { get; }

    public string Section { get; }

    public uint? Origin { get; }

    public long Length { get; }

    /// <summary>The octets of the payload not yet read.</summary>
    public long Remaining { get; internal set; }
}

/// <summary>
/// Parses IMAP4rev1/IMAP4rev2 server responses (RFC 3501, RFC 9051) from buffered octets.
/// Pure and synchronous: the caller owns reading and consuming.
/// </summary>
/// <remarks>
/// Contract: between a <see cref="ImapParseStatus.NeedMoreData"/> result and the next call the caller
/// keeps the unconsumed octets and only appends more, because the parser remembers how far it framed.
/// </remarks>
public sealed partial class ImapResponseParser
{
    private readonly ImapParserOptions _options;
    private readonly ImapFramer _framer;
    private readonly ParseScratch _scratch = new();
    private bool _streamDeclined;
    private FetchResponse? _resumeFetch;

    public ImapResponseParser(ImapParserOptions? options = null)
    {
        _options = options ?? ImapParserOptions.Default;

        // A response is parsed from one contiguous buffer, so it must fit in an array.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_options.MaxResponseSize, Array.MaxLength, nameof(options));
        _framer = new ImapFramer(_options);
    }

    /// <summary>Mailbox names are UTF-8 instead of modified UTF-7 once UTF8=ACCEPT is enabled (RFC 6855).</summary>
    public bool Utf8Accept { get; set; }

    /// <summary>The payload being streamed after <see cref="ImapParseStatus.LiteralStarted"/>, else null.</summary>
    public StreamedLiteral? PendingLiteral { get; private set; }

    /// <summary>Parses the next response if it is completely buffered, consuming exactly its octets.</summary>
    /// <exception cref="ImapParseException">The response breaks the grammar or a limit.</exception>
    /// <exception cref="InvalidOperationException">A streamed payload has octets left to read.</exception>
    public ImapParseStatus TryParse(ref SequenceReader<byte> reader, out ImapResponse? response)
    {
        response = null;
        if (PendingLiteral is { Remaining: > 0 })
        {
            throw new InvalidOperationException("Read the rest of the streamed literal before parsing further.");
        }

        PendingLiteral = null;
        ReadOnlySequence<byte> unread = reader.UnreadSequence;
        while (true)
        {
            FrameStatus status = _framer.TryFrame(unread, !_streamDeclined, out long frameLength,
                out long literalLength);
            if (status == FrameStatus.NeedMoreData)
            {
                return ImapParseStatus.NeedMoreData;
            }

            bool streamTail = status == FrameStatus.StreamPrefix;
            ImapParseException? malformed = null;
            try
            {
                response = ParseFrame(unread.Slice(0, frameLength), streamTail);
            }
            catch (StreamNotAllowedException)
            {
                // The large literal is not a body payload, so it stays in the frame after all.
                _streamDeclined = true;
                _framer.DeclineStream(literalLength);
                continue;
            }
            catch (ImapParseException ex)
            {
                malformed = ex;
            }

            if (malformed is not null)
            {
                // The caller's reader is advanced outside the catch block. Advancing it inside the handler threw a
                // NullReferenceException in about one run of three of a test with 16 concurrent clients, and in
                // none with dynamic PGO off (DOTNET_TieredPGO=0) or with the advance moved here.
                ThrowMalformed(ref reader, malformed, streamTail ? 0 : frameLength);
            }

            _framer.Reset();
            _streamDeclined = false;
            reader.Advance(frameLength);
            return response is null ? ImapParseStatus.LiteralStarted : ImapParseStatus.Response;
        }
    }

    /// <summary>
    /// Rethrows <paramref name="malformed"/>. A whole frame (<paramref name="frameLength"/> above zero) is consumed
    /// first, so the caller can skip it and stay in step; a frame cut at a streamed payload is not.
    /// </summary>
    [DoesNotReturn]
    private void ThrowMalformed(ref SequenceReader<byte> reader, ImapParseException malformed, long frameLength)
    {
        _streamDeclined = false;
        _resumeFetch = null;
        if (frameLength > 0)
        {
            reader.Advance(frameLength);
            malformed.IsResponseConsumed = true;
        }
        else
        {
            _framer.Reset();
        }

        ExceptionDispatchInfo.Throw(malformed);
    }

    /// <summary>
    /// Hands the caller the buffered octets of the streamed payload, up to its end, and consumes them.
    /// Copy the chunk out before the underlying buffer is released.
    /// </summary>
    /// <returns>True when the payload is complete.</returns>
    public bool ReadLiteralChunk(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> chunk)
    {
        StreamedLiteral literal = PendingLiteral
            ?? throw new InvalidOperationException("No literal is being streamed.");
        long take = Math.Min(reader.Remaining, literal.Remaining);
        chunk = reader.UnreadSequence.Slice(0, take);
        reader.Advance(take);
        literal.Remaining -= take;
        return literal.Remaining == 0;
    }

    /// <summary>Parses one frame; returns null when a FETCH stopped at a streamed payload.</summary>
    private ImapResponse? ParseFrame(ReadOnlySequence<byte> frame, bool streamTail)
    {
        if (frame.IsSingleSegment)
        {
            return ParseSpan(frame.FirstSpan, streamTail);
        }

        // A response split over segments is copied once into a pooled buffer, so the grammar code works on one span.
        // MaxResponseSize bounds the copy.
        byte[] rented = ArrayPool<byte>.Shared.Rent((int)frame.Length);
        try
        {
            frame.CopyTo(rented);
            return ParseSpan(rented.AsSpan(0, (int)frame.Length), streamTail);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Reads the rest of a FETCH after a streamed payload; null when it stops at another one.</summary>
    private FetchResponse? ResumeFetch(ReadOnlySpan<byte> span, bool streamTail, FetchResponse fetch)
    {
        int sections = fetch.Sections.Count;
        int binarySizes = fetch.BinarySizes.Count;
        int otherItems = fetch.OtherItems.Count;
        try
        {
            var resumed = new ImapTokenReader(span, _options, streamTail, depth: 1, _scratch);
            if (!ParseFetchItems(ref resumed, fetch))
            {
                return null;
            }

            resumed.ExpectLineEnd();
            _resumeFetch = null;
            return fetch;
        }
        catch (StreamNotAllowedException)
        {
            // The same octets are parsed again with the literal in the frame, so the list items this attempt added
            // are removed first. Single-valued items are set again by the next attempt.
            RemoveFrom(fetch.Sections, sections);
            RemoveFrom(fetch.BinarySizes, binarySizes);
            RemoveFrom(fetch.OtherItems, otherItems);
            throw;
        }
    }

    private static void RemoveFrom<T>(IReadOnlyList<T> items, int count)
    {
        if (items is List<T> list)
        {
            list.RemoveRange(count, list.Count - count);
        }
    }

    private ImapResponse? ParseSpan(ReadOnlySpan<byte> span, bool streamTail)
    {
        _scratch.Reset();
        if (_resumeFetch is { } fetch)
        {
            return ResumeFetch(span, streamTail, fetch);
        }

        var tokens = new ImapTokenReader(span, _options, streamTail, depth: 0, _scratch);
        ImapResponse? response = ParseResponse(ref tokens);
        if (streamTail && response is not null)
        {
            // The announcement sat somewhere the grammar reads as text, not as a payload.
            throw new StreamNotAllowedException();
        }

        return response;
    }
}
