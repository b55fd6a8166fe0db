using System.Buffers;

namespace RawMail.Transport;

/// <summary>How <see cref="LineReader"/> recognizes the end of a line.</summary>
public enum LineEnding
{
    /// <summary>Only CRLF ends a line, as RFC 5321 section 2.3.8 and RFC 3501 section 2.2 require.</summary>
    CrLf,

    /// <summary>
    /// CRLF or a bare LF ends a line. Some servers end lines with LF alone; this leniency accepts them. A bare CR
    /// stays part of the line in both modes.
    /// </summary>
    CrLfOrLf,
}

/// <summary>
/// Pure line and fixed-length framing over a <see cref="SequenceReader{T}"/>. The methods never consume half an
/// item: on "need more data" the reader is left where it was.
/// </summary>
public static class LineReader
{
    /// <summary>
    /// Reads one line and returns it without its terminator, or returns false when the buffered bytes contain no
    /// complete line.
    /// </summary>
    /// <param name="reader">Positioned at the start of a line; advanced past the terminator on success.</param>
    /// <param name="maxLength">Maximum line length in bytes, not counting the terminator.</param>
    /// <param name="line">
    /// The line without CRLF (or LF); a slice of the reader's sequence, valid until AdvanceTo.
    /// </param>
    /// <param name="ending">Which terminators end a line.</param>
    /// <exception cref="MailProtocolException">
    /// <see cref="ProtocolErrorReason.LineTooLong"/> when more than <paramref name="maxLength"/> bytes (plus the
    /// terminator) are buffered without a line end, so the caller never buffers an unbounded line.
    /// </exception>
    public static bool TryReadLine(
        ref SequenceReader<byte> reader,
        int maxLength,
        out ReadOnlySequence<byte> line,
        LineEnding ending = LineEnding.CrLf)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);

        SequenceReader<byte> probe = reader;
        while (probe.TryAdvanceTo((byte)'\n', advancePastDelimiter: false))
        {
            long lfOffset = probe.Consumed - reader.Consumed;
            bool hasCr = lfOffset > 0 && PeekBefore(reader, lfOffset) == (byte)'\r';
            if (hasCr || ending == LineEnding.CrLfOrLf)
            {
                long length = hasCr ? lfOffset - 1 : lfOffset;
                ThrowIfTooLong(length, maxLength);
                line = reader.UnreadSequence.Slice(0, length);
                reader.Advance(lfOffset + 1);
                return true;
            }

            // A bare LF in strict mode is part of the line.
            probe.Advance(1);
            ThrowIfTooLong(probe.Consumed - reader.Consumed - 1, maxLength);
        }

        // No terminator yet: everything buffered belongs to this line, except a trailing CR that may start CRLF.
        long pending = reader.Remaining;
        if (pending > 0 && PeekBefore(reader, pending) == (byte)'\r')
        {
            pending--;
        }

        ThrowIfTooLong(pending, maxLength);
        line = default;
        return false;
    }

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes (an IMAP literal, a BDAT chunk), or returns false when fewer are
    /// buffered. Limits on <paramref name="count"/> are the caller's to check before it starts waiting.
    /// </summary>
    public static bool TryReadExact(ref SequenceReader<byte> reader, long count, out ReadOnlySequence<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (reader.Remaining < count)
        {
            data = default;
            return false;
        }

        data = reader.UnreadSequence.Slice(0, count);
        reader.Advance(count);
        return true;
    }

    private static byte PeekBefore(SequenceReader<byte> reader, long offset)
    {
        reader.Advance(offset - 1);
        reader.TryPeek(out byte value);
        return value;
    }

    private static void ThrowIfTooLong(long length, int maxLength)
    {
        if (length > maxLength)
        {
            TransportThrow.LineTooLong(maxLength);
        }
    }
}
