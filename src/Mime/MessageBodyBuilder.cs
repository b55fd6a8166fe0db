using System.Text;

namespace RawMail.Mime;

/// <summary>
/// Builds the part tree of a composed message: multipart/alternative for text and HTML,
/// multipart/related for HTML with inline images, multipart/mixed for attachments
/// (RFC 2046 section 5.1, RFC 2387).
/// </summary>
internal static class MessageBodyBuilder
{
    public static MimeEntity Build(MimeMessage message)
    {
        MimeEntity? text = message.TextBody is null ? null : TextPart("plain", message.TextBody);
        MimeEntity? html = message.HtmlBody is null ? null : TextPart("html", message.HtmlBody);
        List<Attachment> inline = message.Attachments.Where(a => a.IsInline && a.ContentId is not null).ToList();
        List<Attachment> regular = message.Attachments.Except(inline).ToList();

        if (html is not null && inline.Count > 0)
        {
            var related = new Multipart("related");
            related.ContentType.Parameters.Add(new MimeParameter("type", "text/html"));
            related.Children.Add(html);
            related.Children.AddRange(inline.Select(AttachmentPart));
            html = related;
        }
        else
        {
            regular.AddRange(inline);
        }

        MimeEntity body;
        if (text is not null && html is not null)
        {
            var alternative = new Multipart("alternative");
            alternative.Children.Add(text);
            alternative.Children.Add(html);
            body = alternative;
        }
        else
        {
            body = text ?? html ?? TextPart("plain", string.Empty);
        }

        if (regular.Count == 0 && message.AttachedMessages.Count == 0)
        {
            return body;
        }

        var mixed = new Multipart("mixed");
        mixed.Children.Add(body);
        mixed.Children.AddRange(regular.Select(AttachmentPart));
        mixed.Children.AddRange(message.AttachedMessages.Select(m => new MessagePart(m)));
        return mixed;
    }

    private static MimePart TextPart(string subtype, string text)
    {
        var contentType = new ContentType("text", subtype);
        contentType.Parameters.Add(new MimeParameter("charset", "utf-8"));
        byte[] bytes = Encoding.UTF8.GetBytes(MimeWriter.NormalizeLineEndings(text));
        return new MimePart(contentType, MimeContent.FromBytes(bytes));
    }

    private static MimePart AttachmentPart(Attachment attachment)
    {
        var contentType = new ContentType(attachment.ContentType.MediaType, attachment.ContentType.MediaSubtype);
        contentType.Parameters.AddRange(attachment.ContentType.Parameters.Where(
            p => !p.Name.Equals("name", StringComparison.OrdinalIgnoreCase)));
        contentType.Parameters.Add(new MimeParameter("name", attachment.FileName));
        string dispositionType = attachment.IsInline ? ContentDisposition.Inline : ContentDisposition.Attachment;
        var disposition = new ContentDisposition(dispositionType);
        disposition.Parameters.Add(new MimeParameter("filename", attachment.FileName));
        return new MimePart(contentType, attachment.Content)
        {
            ContentDisposition = disposition,
            ContentId = attachment.ContentId,
        };
    }
}
