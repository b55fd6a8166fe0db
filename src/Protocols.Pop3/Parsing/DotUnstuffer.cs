using System.Buffers;
using RawMail.Transport;

namespace RawMail.Protocols.Pop3;

/// <summary>
/// Pure, resumable decoder of a multi-line message body (RETR, TOP): it copies the body to a buffer writer,
/// removes the stuffing dot from each line that starts with one, and stops after the terminating line "." (RFC 1939
/// section 3). It keeps only a few flags between calls, so memory stays bounded whatever the message size.
/// </summary>
/// <remarks>
/// <para>
/// The CRLF before the terminator belongs to the last body line and is written to the destination.
/// </para>
/// <para>
/// With <see cref="LineEnding.CrLf"/>, only CRLF ends a line: a bare LF is data, so "LF . LF" inside a line is not a
/// terminator. Servers that end every line with a bare LF need <see cref="LineEnding.CrLfOrLf"/>, which
/// bends the RFC 1939 section 3 rule and makes "LF . LF" a terminator.
/// </para>
/// </remarks>
internal sealed class DotUnstuffer
{
    private readonly bool _bareLineFeedEndsLine;
    private bool _atLineStart = true;
    private bool _previousWasCr;

    public DotUnstuffer(LineEnding lineEnding)
    {
        _bareLineFeedEndsLine = lineEnding == LineEnding.CrLfOrLf;
    }

    /// <summary>Whether the terminator was read.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Body bytes written so far, after unstuffing.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>
    /// Decodes as much of the buffered input as possible. Returns true once the terminator is consumed; the reader
    /// then is at the first byte after it. Returns false when more input is needed: the reader has consumed
    /// everything except at most two bytes of a line start that may become the terminator (".", ".CR").
    /// </summary>
    public bool Decode(ref SequenceReader<byte> reader, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        while (!IsComplete && !reader.End)
        {
            if (_atLineStart)
            {
                if (!TryReadLineStart(ref reader))
                {
                    return false;
                }

                continue;
            }

            CopyToDotLine(ref reader, destination);
        }

        return IsComplete;
    }

    // Handles the first bytes of a line: the terminator, a stuffing dot, or neither.
    private bool TryReadLineStart(ref SequenceReader<byte> reader)
    {
        reader.TryPeek(out byte first);
        if (first == (byte)'.')
        {
            if (!reader.TryPeek(1, out byte second))
            {
                return false;
            }

            if (second == (byte)'\n' && _bareLineFeedEndsLine)
            {
                reader.Advance(2);
                IsComplete = true;
                return true;
            }

            if (second == (byte)'\r')
            {
                if (!reader.TryPeek(2, out byte third))
                {
                    return false;
                }

                if (third == (byte)'\n')
                {
                    reader.Advance(3);
                    IsComplete = true;
                    return true;
                }
            }

            // A dot followed by anything else is a stuffing dot. A server that failed to stuff a line starting with
            // "." loses that dot here, as RFC 1939 section 3 prescribes for every such line.
            reader.Advance(1);
        }

        _atLineStart = false;
        _previousWasCr = false;
        return true;
    }

    // Copies bytes up to the next line that starts with ".", or everything buffered when there is none. Only such a
    // line needs work (a stuffing dot or the terminator), so the vectorised search skips ordinary lines instead of
    // stopping at every line end.
    private void CopyToDotLine(ref SequenceReader<byte> reader, IBufferWriter<byte> destination)
    {
        ReadOnlySpan<byte> span = reader.UnreadSpan;
        if (_previousWasCr && span[0] == (byte)'\n')
        {
            // A CRLF split between two segments ends the line.
            Write(destination, span[..1]);
            reader.Advance(1);
            _previousWasCr = false;
            _atLineStart = true;
            return;
        }

        ReadOnlySpan<byte> dotLine = _bareLineFeedEndsLine ? "\n."u8 : "\r\n."u8;
        int found = span.IndexOf(dotLine);
        if (found >= 0)
        {
            int lineStart = found + dotLine.Length - 1;
            Write(destination, span[..lineStart]);
            reader.Advance(lineStart);
            _previousWasCr = false;
            _atLineStart = true;
            return;
        }

        // The next line may start right after this segment, so a line end at its very end is remembered.
        Write(destination, span);
        reader.Advance(span.Length);
        bool endsWithLineFeed = span[^1] == (byte)'\n';
        _atLineStart = endsWithLineFeed && (_bareLineFeedEndsLine || (span.Length > 1 && span[^2] == (byte)'\r'));
        _previousWasCr = span[^1] == (byte)'\r';
    }

    private void Write(IBufferWriter<byte> destination, ReadOnlySpan<byte> data)
    {
        destination.Write(data);
        BytesWritten += data.Length;
    }
}
