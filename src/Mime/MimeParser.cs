using System.Buffers;
using System.IO.Pipelines;

namespace RawMail.Mime;

/// <summary>
/// Parses RFC 5322 messages with MIME parts. The parser is lenient, so malformed content is read
/// as well as it can be and recorded in <see cref="MimeEntity.Problems"/>. Only the hard limits of
/// <see cref="MimeParserOptions"/> raise <see cref="MimeParseException"/>.
/// </summary>
/// <remarks>
/// Part content is decoded while it is read, so the source need not be seekable. Decoded bytes stay
/// in memory up to <see cref="MimeParserOptions.MemoryThreshold"/>, then move to a temporary file
/// opened with delete-on-close, which <see cref="MimeMessage.Dispose"/> removes.
/// </remarks>
public sealed partial class MimeParser : IDisposable
{
    // Body lines longer than this are handled in pieces. No delimiter line is this long.
    private const int MaxLinePiece = 8192;

    // Most bytes of body lines handed to a decoder at once, which bounds the decoder's output buffer.
    private const int MaxBodyRun = 64 * 1024;

    private readonly MimeParserOptions _options;
    private readonly List<Frame> _stack = [];
    private byte[] _lineBuffer = [];
    private bool _midLine;
    private int _entityCount;
    private readonly List<MimeContent> _finishedContent = [];
    private MimeMessage? _root;
    private bool _completed;

    public MimeParser(MimeParserOptions? options = null)
    {
        _options = options ?? new MimeParserOptions();
        _stack.Add(new Frame(null, depth: 0) { IsMessage = true });
    }

    /// <summary>Reads a whole message from a pipe, advancing it as lines are consumed.</summary>
    public static async Task<MimeMessage> ParseAsync(PipeReader reader, MimeParserOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        using var parser = new MimeParser(options);
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            var sequenceReader = new SequenceReader<byte>(buffer);
            try
            {
                parser.Parse(ref sequenceReader, result.IsCompleted);
            }
            finally
            {
                reader.AdvanceTo(sequenceReader.Position, buffer.End);
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                break;
            }
        }

        return parser.Complete();
    }

    /// <summary>Reads a whole message from a stream; the stream is left open.</summary>
    public static async Task<MimeMessage> ParseAsync(Stream stream, MimeParserOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        PipeReader reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            return await ParseAsync(reader, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Consumes every complete line in <paramref name="reader"/> and leaves a partial line for the
    /// next call. With <paramref name="isFinal"/> the rest is consumed as the last line.
    /// </summary>
    public void Parse(ref SequenceReader<byte> reader, bool isFinal)
    {
        while (!reader.End)
        {
            Frame top = _stack[^1];
            if (top.State == FrameState.Leaf && !_midLine && TakeBodyLines(ref reader, top))
            {
                continue;
            }

            SequenceReader<byte> probe = reader;
            bool inHeaders = top.State == FrameState.Headers;
            if (probe.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n', advancePastDelimiter: true))
            {
                // Same rule as for a line whose LF has not arrived yet, so chunking cannot change pieces.
                if (!inHeaders && line.Length >= MaxLinePiece)
                {
                    TakePiece(ref reader);
                    continue;
                }

                reader = probe;
                ProcessTerminatedLine(line);
                continue;
            }

            long remaining = reader.Remaining;
            if (inHeaders && remaining > _options.MaxHeaderBytes)
            {
                throw HeaderTooLarge();
            }

            if (!inHeaders && remaining >= MaxLinePiece)
            {
                TakePiece(ref reader);
                continue;
            }

            if (!isFinal)
            {
                return;
            }

            ReadOnlySequence<byte> rest = reader.UnreadSequence;
            reader.AdvanceToEnd();
            ProcessLine(Copy(rest), ReadOnlySpan<byte>.Empty);
        }
    }

    /// <summary>Ends input: closes every open part and returns the message.</summary>
    public MimeMessage Complete()
    {
        while (_stack.Count > 0)
        {
            FinishTop(atEndOfInput: true);
        }

        _completed = true;
        return _root!;
    }

    /// <summary>Deletes temporary files of a parse that did not complete.</summary>
    public void Dispose()
    {
        foreach (Frame frame in _stack)
        {
            frame.Sink?.Dispose();
        }

        if (!_completed)
        {
            _finishedContent.ForEach(content => content.Dispose());
        }
    }

    /// <summary>
    /// Decodes whole lines of a leaf's content in one call, up to the next line that starts with
    /// "--". Only such a line can be a delimiter (RFC 2046 section 5.1.1), so the lines before it
    /// need no delimiter check. Returns false when the reader is not at such a run, and the line
    /// is then read on its own.
    /// </summary>
    private static bool TakeBodyLines(ref SequenceReader<byte> reader, Frame frame)
    {
        ReadOnlySpan<byte> span = reader.UnreadSpan;
        if (span.Length > MaxBodyRun)
        {
            span = span[..MaxBodyRun];
        }

        if (span.IsEmpty || span[0] == (byte)'-')
        {
            return false;
        }

        // The run ends at the LF before the "--", else at the last LF, so it ends with a whole line.
        int end = span.IndexOf("\n--"u8);
        if (end < 0)
        {
            end = span.LastIndexOf((byte)'\n');
            if (end < 0)
            {
                return false;
            }
        }

        int terminator = end > 0 && span[end - 1] == (byte)'\r' ? 2 : 1;
        ContentSink sink = frame.Sink!;
        sink.Write(frame.PendingNewline, frame.Decoder!);
        sink.Write(span[..(end + 1 - terminator)], frame.Decoder!);
        frame.PendingNewline = terminator == 2 ? s_crlf : s_lf;
        reader.Advance(end + 1);
        return true;
    }

    private void TakePiece(ref SequenceReader<byte> reader)
    {
        ReadOnlySequence<byte> piece = reader.UnreadSequence.Slice(0, MaxLinePiece);
        reader.Advance(MaxLinePiece);
        ProcessLine(Copy(piece), ReadOnlySpan<byte>.Empty);
        _midLine = true;
    }

    private void ProcessTerminatedLine(ReadOnlySequence<byte> line)
    {
        ReadOnlySpan<byte> content = Copy(line);
        bool hasCr = content.Length > 0 && content[^1] == (byte)'\r';
        ReadOnlySpan<byte> terminator = hasCr ? "\r\n"u8 : "\n"u8;
        ProcessLine(hasCr ? content[..^1] : content, terminator);
        _midLine = false;
    }

    private ReadOnlySpan<byte> Copy(ReadOnlySequence<byte> sequence)
    {
        if (sequence.IsSingleSegment)
        {
            return sequence.FirstSpan;
        }

        if (_lineBuffer.Length < sequence.Length)
        {
            _lineBuffer = new byte[Math.Max(sequence.Length, Math.Max(1024, _lineBuffer.Length * 2))];
        }

        sequence.CopyTo(_lineBuffer);
        return _lineBuffer.AsSpan(0, (int)sequence.Length);
    }

    private MimeParseException HeaderTooLarge() => new(MimeParseError.HeaderTooLarge,
        $"A header block exceeds the limit of {_options.MaxHeaderBytes} bytes (MimeParserOptions.MaxHeaderBytes).");
}
