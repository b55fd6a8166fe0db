using System.Buffers;

namespace RawMail.Protocols.Imap.Parsing;

internal enum FrameStatus
{
    NeedMoreData,
    Complete,

    /// <summary>The frame ends with a literal announcement whose octets should be streamed to the caller.</summary>
    StreamPrefix,
}

/// <summary>
/// Finds where one response ends: line by line, skipping literal octets by their announced count
/// (RFC 9051 section 4.3), so literal content is never scanned for line ends.
/// </summary>
/// <remarks>
/// The state remembers how far the current response is already framed, so a caller that re-invokes with
/// the same start and more octets costs only the new octets, never a re-scan.
/// </remarks>
internal sealed class ImapFramer
{
    private const int MaxAnnouncementLength = 32;

    private readonly ImapParserOptions _options;
    private long _scanned;
    private long _literalToSkip;

    public ImapFramer(ImapParserOptions options)
    {
        _options = options;
    }

    public FrameStatus TryFrame(in ReadOnlySequence<byte> buffer, bool allowStreaming, out long frameLength,
        out long literalLength)
    {
        frameLength = 0;
        literalLength = 0;
        var reader = new SequenceReader<byte>(buffer);
        reader.Advance(_scanned);
        while (true)
        {
            if (_literalToSkip > 0)
            {
                if (reader.Remaining < _literalToSkip)
                {
                    return FrameStatus.NeedMoreData;
                }

                reader.Advance(_literalToSkip);
                _scanned += _literalToSkip;
                _literalToSkip = 0;
            }

            SequencePosition lineStart = reader.Position;
            if (!reader.TryAdvanceTo((byte)'\n'))
            {
                if (buffer.Length - _scanned > _options.MaxLineLength)
                {
                    throw new ImapParseException(ImapParseErrorReason.LineTooLong, _scanned,
                        $"A response line exceeds the limit of {_options.MaxLineLength} octets.");
                }

                return FrameStatus.NeedMoreData;
            }

            long lineLength = reader.Consumed - _scanned;
            if (lineLength > _options.MaxLineLength)
            {
                throw new ImapParseException(ImapParseErrorReason.LineTooLong, _scanned,
                    $"A response line of {lineLength} octets exceeds the limit of {_options.MaxLineLength} octets.");
            }

            CheckResponseSize(_scanned + lineLength);
            _scanned += lineLength;
            long literal = ReadAnnouncement(buffer.Slice(lineStart, reader.Position), _scanned);
            if (literal < 0)
            {
                frameLength = _scanned;
                Reset();
                return FrameStatus.Complete;
            }

            if (allowStreaming && literal > 0 && literal >= _options.StreamingThreshold)
            {
                frameLength = _scanned;
                literalLength = literal;
                return FrameStatus.StreamPrefix;
            }

            CheckResponseSize(_scanned + literal);
            _literalToSkip = literal;
        }
    }

    /// <summary>Keeps the literal of the last <see cref="FrameStatus.StreamPrefix"/> in the frame after all.</summary>
    public void DeclineStream(long literalLength)
    {
        CheckResponseSize(_scanned + literalLength);
        _literalToSkip = literalLength;
    }

    public void Reset()
    {
        _scanned = 0;
        _literalToSkip = 0;
    }

    private void CheckResponseSize(long size)
    {
        if (size > _options.MaxResponseSize)
        {
            throw new ImapParseException(ImapParseErrorReason.ResponseTooLarge, _scanned,
                $"A response exceeds the limit of {_options.MaxResponseSize} octets.");
        }
    }

    /// <summary>
    /// Returns the octet count of a literal announced at the end of this line (<c>{n}</c>, <c>{n+}</c>,
    /// <c>~{n}</c>), or -1 when the line ends the response.
    /// </summary>
    private long ReadAnnouncement(ReadOnlySequence<byte> line, long lineEnd)
    {
        int tailLength = (int)Math.Min(line.Length, MaxAnnouncementLength);
        Span<byte> tail = stackalloc byte[MaxAnnouncementLength];
        tail = tail[..tailLength];
        line.Slice(line.Length - tailLength).CopyTo(tail);

        // Note: a bare LF ends a line too, bending the CRLF rule of RFC 9051 section 4.3, so a server
        // that drops the CR still frames.
        int end = tail.Length - 1;
        if (end > 0 && tail[end - 1] == (byte)'\r')
        {
            end--;
        }

        if (end < 1 || tail[end - 1] != (byte)'}')
        {
            return -1;
        }

        int close = end - 1;
        int open = tail[..close].LastIndexOf((byte)'{');
        if (open < 0)
        {
            return -1;
        }

        ReadOnlySpan<byte> digits = tail[(open + 1)..close];
        if (digits.Length > 0 && digits[^1] == (byte)'+')
        {
            digits = digits[..^1];
        }

        if (digits.Length == 0 || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return -1;
        }

        if (digits.Length > 18 || !System.Buffers.Text.Utf8Parser.TryParse(digits, out long count, out _))
        {
            throw new ImapParseException(ImapParseErrorReason.LiteralTooLarge, lineEnd,
                $"A literal announcement of {digits.Length} digits exceeds the limit of {_options.MaxLiteralSize} octets.");
        }

        if (count > _options.MaxLiteralSize)
        {
            throw TooLarge(lineEnd, count);
        }

        return count;
    }

    private ImapParseException TooLarge(long position, long count)
    {
        return new ImapParseException(ImapParseErrorReason.LiteralTooLarge, position,
            $"A literal of {count} octets exceeds the limit of {_options.MaxLiteralSize} octets.");
    }
}
