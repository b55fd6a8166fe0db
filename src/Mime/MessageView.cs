namespace RawMail.Mime;

/// <summary>An address in <see cref="MessageView"/>: JMAP's EmailAddress (RFC 8621 section 4.1.2.3).</summary>
public sealed record AddressView(string? Name, string Email);

/// <summary>An attachment in <see cref="MessageView"/>, with its decoded size in bytes.</summary>
public sealed record AttachmentView(string? Name, string Type, long Size, string? Cid, string Disposition);

/// <summary>A header field in <see cref="MessageView"/>, value as written.</summary>
public sealed record HeaderView(string Name, string Value);

/// <summary>
/// A plain projection of a message in the shape of a JMAP Email object (RFC 8621 section 4.1),
/// for callers that want data without the part tree.
/// </summary>
public sealed record MessageView(
    IReadOnlyList<AddressView> From,
    IReadOnlyList<AddressView> To,
    IReadOnlyList<AddressView> Cc,
    string? Subject,
    DateTimeOffset? SentAt,
    string? MessageId,
    string? TextBody,
    string? HtmlBody,
    IReadOnlyList<AttachmentView> Attachments,
    IReadOnlyList<HeaderView> Headers)
{
    public static MessageView Create(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        HeaderList headers = message.RawHeaders.Count > 0 ? message.RawHeaders : message.Headers;
        return new MessageView(
            Addresses(message.From),
            Addresses(message.To),
            Addresses(message.Cc),
            message.Subject,
            message.Date,
            message.MessageId,
            message.TextBody,
            message.HtmlBody,
            message.Attachments.Select(a => new AttachmentView(
                a.FileName.Length == 0 ? null : a.FileName,
                a.ContentType.MimeType,
                a.Content.Length ?? -1,
                a.ContentId,
                a.IsInline ? ContentDisposition.Inline : ContentDisposition.Attachment)).ToList(),
            headers.Select(h => new HeaderView(h.Name, h.Value)).ToList());
    }

    private static List<AddressView> Addresses(IEnumerable<InternetAddress> addresses) =>
        addresses.SelectMany(a => a.Mailboxes).Select(m => new AddressView(m.Name, m.Address)).ToList();
}
