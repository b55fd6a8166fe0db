using System.Buffers;
using RawMail.Transport;

namespace RawMail.Protocols.Pop3;

/// <summary>
/// Pure, resumable reader for the lines of a multi-line listing (CAPA, LIST, UIDL; RFC 1939 section 3): it
/// consumes every complete line that is buffered, removes the stuffing dot, and stops at the line that is exactly
/// ".". Each line passes to a parse function, so only parsed items are kept, never raw bytes.
/// </summary>
internal sealed class MultilineLineReader<TItem>
{
    private readonly int _maxLineLength;
    private readonly int _maxLines;
    private readonly LineEnding _lineEnding;
    private readonly Func<ReadOnlySpan<byte>, TItem> _parseLine;
    private readonly ResponseParser<bool> _parser;

    public MultilineLineReader(
        int maxLineLength,
        int maxLines,
        LineEnding lineEnding,
        Func<ReadOnlySpan<byte>, TItem> parseLine)
    {
        _maxLineLength = maxLineLength;
        _maxLines = maxLines;
        _lineEnding = lineEnding;
        _parseLine = parseLine;
        _parser = TryReadLines;
    }

    /// <summary>The parsed lines so far.</summary>
    public List<TItem> Items { get; } = [];

    /// <summary>Whether the terminating "." line was read.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>A <see cref="ResponseParser{TResult}"/> over <see cref="TryReadLines"/> for the connection.</summary>
    public ResponseParser<bool> Parser => _parser;

    /// <summary>
    /// Consumes every complete line buffered, up to and including the terminator. Returns true when it consumed
    /// at least one line, and sets <paramref name="complete"/> when the terminator was among them.
    /// </summary>
    /// <exception cref="MailProtocolException">
    /// A line is too long, the listing has more lines than the limit, or the parse function rejects a line.
    /// </exception>
    public bool TryReadLines(ref SequenceReader<byte> reader, out bool complete)
    {
        bool consumedAny = false;
        while (!IsComplete
            && LineReader.TryReadLine(ref reader, _maxLineLength, out ReadOnlySequence<byte> line, _lineEnding))
        {
            consumedAny = true;
            ReadOnlySpan<byte> bytes = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
            if (bytes.Length > 0 && bytes[0] == (byte)'.')
            {
                // Only a line of exactly "." ends the listing; ".capability" is the stuffed form of "capability".
                if (bytes.Length == 1)
                {
                    IsComplete = true;
                    break;
                }

                bytes = bytes[1..];
            }

            if (Items.Count == _maxLines)
            {
                TransportThrow.MalformedResponse($"The server sent a listing of more than {_maxLines} lines.");
            }

            Items.Add(_parseLine(bytes));
        }

        complete = IsComplete;
        return consumedAny;
    }
}
