using System.Text;

namespace RawMail.Mime;

public sealed partial class MimeParser
{
    private static readonly byte[] s_crlf = "\r\n"u8.ToArray();
    private static readonly byte[] s_lf = "\n"u8.ToArray();

    private enum FrameState
    {
        Headers,
        Leaf,
        Preamble,
        Epilogue,
        MessageContainer,
    }

    // One entity being read: its header lines, then its content or its children.
    private sealed class Frame(Frame? parent, int depth)
    {
        public Frame? Parent { get; } = parent;

        public int Depth { get; } = depth;

        public FrameState State { get; set; } = FrameState.Headers;

        public bool IsMessage { get; init; }

        // Fields read so far; Folded collects the value of a field that has continuation lines.
        public List<(string Name, string Value, StringBuilder? Folded)> Fields { get; } = [];

        public int HeaderBytes { get; set; }

        public HeaderList Headers { get; } = new();

        public MimeEntity? Entity { get; set; }

        public MimeMessage? Message { get; set; }

        public MimeMessage? ChildMessage { get; set; }

        public byte[]? Delimiter { get; set; }

        public ContentSink? Sink { get; set; }

        public IContentDecoder? Decoder { get; set; }

        public byte[] PendingNewline { get; set; } = [];

        public List<byte> Text { get; } = [];

        public bool TextTruncated { get; set; }

        public List<MimeProblem> Problems { get; } = [];
    }

    private void ProcessLine(ReadOnlySpan<byte> content, ReadOnlySpan<byte> terminator)
    {
        if (!_midLine && content.Length >= 2 && content[0] == (byte)'-' && content[1] == (byte)'-')
        {
            for (int i = _stack.Count - 1; i >= 0; i--)
            {
                Frame candidate = _stack[i];
                if (candidate.Delimiter is not null && candidate.State != FrameState.Epilogue
                    && IsDelimiter(content, candidate.Delimiter, out bool isClose))
                {
                    HandleDelimiter(i, isClose);
                    return;
                }
            }
        }

        Frame top = _stack[^1];
        switch (top.State)
        {
            case FrameState.Headers:
                ProcessHeaderLine(top, content, terminator);
                break;
            case FrameState.Leaf:
                top.Sink!.Write(top.PendingNewline, top.Decoder!);
                top.Sink!.Write(content, top.Decoder!);
                top.PendingNewline = NewlineArray(terminator);
                break;
            default:
                AppendText(top, top.PendingNewline);
                AppendText(top, content);
                top.PendingNewline = NewlineArray(terminator);
                break;
        }
    }

    private static byte[] NewlineArray(ReadOnlySpan<byte> terminator) =>
        terminator.Length switch
        {
            2 => s_crlf,
            1 => s_lf,
            _ => [],
        };

    // RFC 2046 section 5.1.1: "--" boundary, "--" for the close delimiter, then only whitespace.
    private static bool IsDelimiter(ReadOnlySpan<byte> line, byte[] delimiter, out bool isClose)
    {
        isClose = false;
        if (!line.StartsWith(delimiter))
        {
            return false;
        }

        ReadOnlySpan<byte> rest = line[delimiter.Length..];
        if (rest.StartsWith("--"u8))
        {
            isClose = true;
            rest = rest[2..];
        }

        return rest.TrimEnd(" \t"u8).IsEmpty;
    }

    private void ProcessHeaderLine(Frame frame, ReadOnlySpan<byte> content, ReadOnlySpan<byte> terminator)
    {
        if (content.IsEmpty && !_midLine)
        {
            EndHeaders(frame);
            return;
        }

        frame.HeaderBytes += content.Length + terminator.Length;
        if (frame.HeaderBytes > _options.MaxHeaderBytes)
        {
            throw HeaderTooLarge();
        }

        bool continuation = content[0] is (byte)' ' or (byte)'\t';
        List<(string Name, string Value, StringBuilder? Folded)> fields = frame.Fields;
        if (continuation && fields.Count > 0)
        {
            (string name, string value, StringBuilder? folded) = fields[^1];
            folded ??= new StringBuilder(value);
            folded.Append(Charsets.DecodeUndeclared(content));
            fields[^1] = (name, value, folded);
            return;
        }

        int colon = content.IndexOf((byte)':');
        ReadOnlySpan<byte> fieldName = colon > 0 ? content[..colon].TrimEnd(" \t"u8) : default;
        if (colon > 0 && !fieldName.ContainsAnyExceptInRange((byte)33, (byte)126))
        {
            // The name is ASCII, so decoding the value alone gives what decoding the line would.
            ReadOnlySpan<byte> value = content[(colon + 1)..].TrimStart(" \t"u8);
            fields.Add((HeaderNames.Get(fieldName), Charsets.DecodeUndeclared(value), null));
            return;
        }

        // Note: an mbox "From " line before the first header is skipped. Any other line that is not
        // a header field ends the header block and starts the body, which is what most readers do.
        if (fields.Count == 0 && frame.IsMessage && content.StartsWith("From "u8))
        {
            return;
        }

        frame.Problems.Add(new MimeProblem(MimeProblemKind.InvalidHeaderLine, "A header line has no field name."));
        EndHeaders(frame);
        ProcessLine(content, terminator);
    }

    private void AppendText(Frame frame, ReadOnlySpan<byte> bytes)
    {
        int room = _options.MaxPreambleBytes - frame.Text.Count;
        if (bytes.Length > room)
        {
            frame.TextTruncated = true;
            bytes = bytes[..Math.Max(room, 0)];
        }

        frame.Text.AddRange(bytes);
    }

    private void HandleDelimiter(int index, bool isClose)
    {
        while (_stack.Count - 1 > index)
        {
            FinishTop(atEndOfInput: false);
        }

        Frame multipart = _stack[index];
        multipart.PendingNewline = [];
        if (multipart.State == FrameState.Preamble)
        {
            ((Multipart)multipart.Entity!).Preamble = TakeText(multipart);
        }

        if (isClose)
        {
            multipart.State = FrameState.Epilogue;
            return;
        }

        CountEntity();
        _stack.Add(new Frame(multipart, multipart.Depth + 1));
    }

    private static string? TakeText(Frame frame)
    {
        if (frame.TextTruncated)
        {
            frame.Problems.Add(new MimeProblem(MimeProblemKind.TruncatedPreamble,
                "A preamble or epilogue was longer than MimeParserOptions.MaxPreambleBytes and was cut."));
        }

        string? text = frame.Text.Count == 0 ? null : Charsets.DecodeUndeclared(frame.Text.ToArray());
        frame.Text.Clear();
        frame.TextTruncated = false;
        return text;
    }

    private void CountEntity()
    {
        if (++_entityCount > _options.MaxParts)
        {
            throw new MimeParseException(MimeParseError.TooManyParts,
                $"The message has more than {_options.MaxParts} parts (MimeParserOptions.MaxParts).");
        }
    }

    private void EndHeaders(Frame frame)
    {
        foreach ((string name, string value, StringBuilder? folded) in frame.Fields)
        {
            // A first line with an empty value leaves the leading whitespace of the next line to trim.
            string unfolded = folded?.ToString().TrimStart(' ', '\t') ?? value;
            frame.Headers.Add(Header.FromParsed(name, unfolded));
        }

        frame.Fields.Clear();
        bool inDigest = frame.Parent?.Entity is Multipart { Subtype: "digest" };
        string? typeValue = frame.Headers.GetFirst("Content-Type");
        ContentType contentType = typeValue is not null ? ContentType.Parse(typeValue)
            : inDigest ? new ContentType("message", "rfc822") : new ContentType("text", "plain");
        string encoding = (frame.Headers.GetFirst("Content-Transfer-Encoding") ?? "7bit").Trim().ToLowerInvariant();
        if (frame.IsMessage)
        {
            frame.Message = MessageModelBuilder.FromHeaders(frame.Headers);
        }

        if (contentType.MediaType == "multipart" && !string.IsNullOrEmpty(contentType.Boundary))
        {
            CheckDepth(frame);
            var multipart = new Multipart(contentType.MediaSubtype);
            multipart.ContentType.Parameters.AddRange(contentType.Parameters);
            frame.Entity = multipart;
            frame.Delimiter = Encoding.UTF8.GetBytes("--" + contentType.Boundary);
            frame.State = FrameState.Preamble;
        }
        else if (contentType.MediaType == "message" && contentType.MediaSubtype is "rfc822" or "global"
            && encoding is not ("base64" or "quoted-printable"))
        {
            CheckDepth(frame);
            CountEntity();
            frame.State = FrameState.MessageContainer;
            _stack.Add(new Frame(frame, frame.Depth + 1) { IsMessage = true });
        }
        else
        {
            frame.Entity = new MimePart(contentType, MimeContent.FromBytes([]))
            {
                ContentTransferEncoding = frame.Headers.GetFirst("Content-Transfer-Encoding")?.Trim(),
            };
            frame.Sink = new ContentSink(_options.MemoryThreshold);
            frame.Decoder = encoding switch
            {
                "base64" => new Base64Decoder(),
                "quoted-printable" => new QuotedPrintableDecoder(),
                _ => new IdentityDecoder(),
            };
            frame.State = FrameState.Leaf;
        }
    }

    private void CheckDepth(Frame frame)
    {
        if (frame.Depth >= _options.MaxDepth)
        {
            throw new MimeParseException(MimeParseError.NestingTooDeep,
                $"Parts are nested deeper than {_options.MaxDepth} levels (MimeParserOptions.MaxDepth).");
        }
    }
}
