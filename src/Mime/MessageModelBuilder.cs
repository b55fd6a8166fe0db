namespace RawMail.Mime;

/// <summary>Fills the message model from parsed header fields and the parsed part tree.</summary>
internal static class MessageModelBuilder
{
    private static readonly HashSet<string> s_modelled = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "In-Reply-To",
        "References", "MIME-Version",
    };

    public static MimeMessage FromHeaders(HeaderList headers)
    {
        var message = new MimeMessage();
        foreach (Header header in headers)
        {
            message.RawHeaders.Add(header);
            bool isContentField = header.Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase);
            if (!s_modelled.Contains(header.Name) && !isContentField)
            {
                message.Headers.Add(header);
            }
        }

        message.From.AddRange(Addresses(headers, "From"));
        message.ReplyTo.AddRange(Addresses(headers, "Reply-To"));
        message.To.AddRange(Addresses(headers, "To"));
        message.Cc.AddRange(Addresses(headers, "Cc"));
        message.Bcc.AddRange(Addresses(headers, "Bcc"));
        message.Sender = Addresses(headers, "Sender").SelectMany(a => a.Mailboxes).FirstOrDefault();
        string? subject = headers.GetFirst("Subject");
        message.Subject = subject is null ? null : Clean(EncodedWordDecoder.Decode(subject));
        string? date = headers.GetFirst("Date");
        message.Date = date is null ? null : DateFormat.Parse(date);
        string? messageId = headers.GetFirst("Message-ID");
        message.MessageId = messageId is null ? null : Clean(StripAngles(messageId));
        message.InReplyTo = MessageIds(headers.GetFirst("In-Reply-To")).FirstOrDefault();
        message.References.AddRange(MessageIds(headers.GetFirst("References")));
        return message;
    }

    /// <summary>Sets TextBody, HtmlBody, Attachments and AttachedMessages from the part tree.</summary>
    public static void FillBodies(MimeMessage message, MimeEntity body) => Walk(message, body, inRelated: false);

    public static string StripAngles(string value)
    {
        string trimmed = value.Trim();
        int open = trimmed.IndexOf('<', StringComparison.Ordinal);
        int close = trimmed.IndexOf('>', open + 1);
        return open >= 0 && close > open ? trimmed[(open + 1)..close] : trimmed;
    }

    private static IEnumerable<string> MessageIds(string? value)
    {
        if (value is null)
        {
            yield break;
        }

        int position = 0;
        while (true)
        {
            int open = value.IndexOf('<', position);
            int close = open < 0 ? -1 : value.IndexOf('>', open + 1);
            if (close < 0)
            {
                yield break;
            }

            yield return Clean(value[(open + 1)..close]);
            position = close + 1;
        }
    }

    private static IEnumerable<InternetAddress> Addresses(HeaderList headers, string name) =>
        headers.GetAll(name).SelectMany(AddressParser.ParseList);

    // Parsed values never carry CR, LF or NUL into the model, where setters would reject them.
    private static string Clean(string text) =>
        text.AsSpan().IndexOfAny('\r', '\n', '\0') < 0
            ? text
            : new string(text.Select(c => c is '\r' or '\n' or '\0' ? ' ' : c).ToArray());

    private static void Walk(MimeMessage message, MimeEntity entity, bool inRelated)
    {
        switch (entity)
        {
            case Multipart { Subtype: "related" } related when related.Children.Count > 0:
                Walk(message, related.Children[0], inRelated: false);
                foreach (MimeEntity child in related.Children.Skip(1))
                {
                    Walk(message, child, inRelated: true);
                }

                break;
            case Multipart multipart:
                foreach (MimeEntity child in multipart.Children)
                {
                    Walk(message, child, inRelated);
                }

                break;
            case MessagePart messagePart:
                message.AttachedMessages.Add(messagePart.Message);
                break;
            case MimePart part:
                AddPart(message, part, inRelated);
                break;
        }
    }

    // Text in memory is decoded when the body is first read. Content spilled to a temporary file
    // is gone once the message is disposed, so that text is decoded now.
    private static void AddPart(MimeMessage message, MimePart part, bool inRelated)
    {
        bool body = !inRelated && !part.IsAttachment && part.FileName is null;
        if (body && part.ContentType.Is("text", "plain") && !message.HasTextBody)
        {
            if (part.Content.IsInMemory)
            {
                message.SetTextBodyPart(part);
            }
            else
            {
                message.TextBody = part.GetText();
            }

            return;
        }

        if (body && part.ContentType.Is("text", "html") && !message.HasHtmlBody)
        {
            if (part.Content.IsInMemory)
            {
                message.SetHtmlBodyPart(part);
            }
            else
            {
                message.HtmlBody = part.GetText();
            }

            return;
        }

        var contentType = new ContentType(part.ContentType.MediaType, part.ContentType.MediaSubtype);
        contentType.Parameters.AddRange(part.ContentType.Parameters);
        message.Attachments.Add(new Attachment(Clean(part.FileName ?? string.Empty), contentType, part.Content)
        {
            ContentId = part.ContentId is null ? null : Clean(part.ContentId),
            IsInline = part.ContentDisposition?.Disposition == ContentDisposition.Inline
                || (part.ContentDisposition is null && inRelated),
        });
    }
}
