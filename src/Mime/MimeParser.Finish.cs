namespace RawMail.Mime;

public sealed partial class MimeParser
{
    // Closes the innermost open entity and attaches it to its parent.
    private void FinishTop(bool atEndOfInput)
    {
        Frame frame = _stack[^1];
        if (frame.State == FrameState.Headers)
        {
            EndHeaders(frame);
            if (_stack[^1] != frame)
            {
                return;
            }
        }

        _stack.RemoveAt(_stack.Count - 1);
        MimeEntity entity = frame.State switch
        {
            FrameState.Leaf => FinishLeaf(frame, atEndOfInput, _finishedContent),
            FrameState.MessageContainer => new MessagePart(frame.ChildMessage!),
            _ => FinishMultipart(frame),
        };

        // A message's own fields live on the MimeMessage; its body entity keeps the Content-* ones,
        // so writing a parsed message back does not repeat them.
        foreach (Header header in frame.Headers)
        {
            if (!frame.IsMessage || header.Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                entity.Headers.Add(header);
            }
        }

        entity.Problems.AddRange(frame.Problems);
        if (frame.IsMessage)
        {
            MimeMessage message = frame.Message!;
            message.Body = entity;
            MessageModelBuilder.FillBodies(message, entity);
            if (frame.Parent is null)
            {
                _root = message;
            }
            else
            {
                frame.Parent.ChildMessage = message;
            }
        }
        else if (frame.Parent?.Entity is Multipart parent)
        {
            parent.Children.Add(entity);
        }
    }

    private static MimePart FinishLeaf(Frame frame, bool atEndOfInput, List<MimeContent> finishedContent)
    {
        // At the end of input the last line break is content only in a part no multipart encloses.
        if (atEndOfInput && frame.Parent is null)
        {
            frame.Sink!.Write(frame.PendingNewline, frame.Decoder!);
        }

        var part = (MimePart)frame.Entity!;
        frame.Decoder!.Finish(frame.Sink!);
        part.Content = frame.Sink!.Complete();
        finishedContent.Add(part.Content);
        frame.Sink.Dispose();
        frame.Sink = null;
        if (frame.Decoder.HasProblem)
        {
            MimeProblemKind kind = frame.Decoder is Base64Decoder
                ? MimeProblemKind.InvalidBase64
                : MimeProblemKind.InvalidQuotedPrintable;
            frame.Problems.Add(new MimeProblem(kind, "The content has bytes its transfer encoding does not allow."));
        }

        string? disposition = frame.Headers.GetFirst("Content-Disposition");
        part.ContentDisposition = disposition is null ? null : ContentDisposition.Parse(disposition);
        string? contentId = frame.Headers.GetFirst("Content-ID");
        part.ContentId = contentId is null ? null : MessageModelBuilder.StripAngles(contentId);
        string? charset = part.ContentType.Charset;
        if (part.ContentType.MediaType == "text" && charset is not null && !Charsets.TryGet(charset, out _))
        {
            frame.Problems.Add(new MimeProblem(MimeProblemKind.UnknownCharset,
                $"The charset '{charset}' is not known; the text is read as UTF-8 or Latin-1."));
        }

        return part;
    }

    private static Multipart FinishMultipart(Frame frame)
    {
        var multipart = (Multipart)frame.Entity!;
        if (frame.State == FrameState.Preamble)
        {
            multipart.Preamble = TakeText(frame);
        }

        if (frame.State != FrameState.Epilogue)
        {
            frame.Problems.Add(new MimeProblem(MimeProblemKind.MissingCloseDelimiter,
                "The multipart ends without its close delimiter."));
        }
        else
        {
            multipart.Epilogue = TakeText(frame);
        }

        return multipart;
    }
}

internal static class ContentSinkExtensions
{
    public static void Write(this ContentSink sink, ReadOnlySpan<byte> bytes, IContentDecoder decoder)
    {
        if (!bytes.IsEmpty)
        {
            decoder.Decode(bytes, sink);
        }
    }
}
