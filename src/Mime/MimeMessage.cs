using System.IO.Pipelines;

namespace RawMail.Mime;

/// <summary>
/// A mail message: the envelope fields of RFC 5322, the bodies and attachments, and the raw part
/// tree. Composition builds the tree from the bodies and attachments when <see cref="Body"/> is
/// null; parsing fills both.
/// </summary>
public sealed class MimeMessage : IDisposable
{
    private string? _subject;
    private string? _messageId;
    private string? _inReplyTo;
    private string? _textBody;
    private MimePart? _textPart;
    private string? _htmlBody;
    private MimePart? _htmlPart;

    public List<InternetAddress> From { get; } = [];

    public MailboxAddress? Sender { get; set; }

    public List<InternetAddress> ReplyTo { get; } = [];

    public List<InternetAddress> To { get; } = [];

    public List<InternetAddress> Cc { get; } = [];

    /// <summary>Blind copies: recipients for the envelope, never written to the header.</summary>
    public List<InternetAddress> Bcc { get; } = [];

    public string? Subject
    {
        get => _subject;
        set
        {
            HeaderValidation.Check("Subject", value);
            _subject = value;
        }
    }

    public DateTimeOffset? Date { get; set; }

    /// <summary>The Message-ID without angle brackets.</summary>
    public string? MessageId
    {
        get => _messageId;
        set
        {
            HeaderValidation.Check("Message-ID", value);
            _messageId = value;
        }
    }

    /// <summary>The In-Reply-To message id without angle brackets.</summary>
    public string? InReplyTo
    {
        get => _inReplyTo;
        set
        {
            HeaderValidation.Check("In-Reply-To", value);
            _inReplyTo = value;
        }
    }

    /// <summary>Message ids of the References field, without angle brackets.</summary>
    public List<string> References { get; } = [];

    /// <summary>Header fields with no property of their own, in order; names may repeat.</summary>
    public HeaderList Headers { get; } = new();

    /// <summary>Every header field as parsed, in order; empty for a composed message.</summary>
    public HeaderList RawHeaders { get; } = new();

    /// <summary>
    /// The plain-text body. On a parsed message it is decoded from its part on the first read, so a
    /// caller who never reads it does not pay for the text.
    /// </summary>
    public string? TextBody
    {
        get => _textBody ??= _textPart?.GetText();
        set
        {
            _textBody = value;
            _textPart = null;
        }
    }

    /// <summary>The HTML body, decoded from its part on the first read like <see cref="TextBody"/>.</summary>
    public string? HtmlBody
    {
        get => _htmlBody ??= _htmlPart?.GetText();
        set
        {
            _htmlBody = value;
            _htmlPart = null;
        }
    }

    internal bool HasTextBody => _textBody is not null || _textPart is not null;

    internal bool HasHtmlBody => _htmlBody is not null || _htmlPart is not null;

    public List<Attachment> Attachments { get; } = [];

    /// <summary>Messages attached as message/rfc822 parts.</summary>
    public List<MimeMessage> AttachedMessages { get; } = [];

    /// <summary>The part tree; set by the parser, or by a caller who builds the tree by hand.</summary>
    public MimeEntity? Body { get; set; }

    /// <summary>
    /// Writes the message in RFC 5322 form. Date and MessageId are filled in first when missing,
    /// so the caller can read the values that were sent.
    /// </summary>
    public Task WriteToAsync(Stream stream, CancellationToken cancellationToken = default) =>
        WriteToAsync(stream, new MimeWriterOptions(), cancellationToken);

    public async Task WriteToAsync(Stream stream, MimeWriterOptions options,
        CancellationToken cancellationToken = default)
    {
        PipeWriter writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        await new MimeWriter(options).WriteAsync(this, writer, cancellationToken).ConfigureAwait(false);
        await writer.CompleteAsync().ConfigureAwait(false);
    }

    public Task WriteToAsync(PipeWriter writer, CancellationToken cancellationToken = default) =>
        new MimeWriter(new MimeWriterOptions()).WriteAsync(this, writer, cancellationToken);

    /// <summary>Makes <paramref name="part"/> the plain-text body, decoded when first read.</summary>
    internal void SetTextBodyPart(MimePart part)
    {
        _textBody = null;
        _textPart = part;
    }

    /// <summary>Makes <paramref name="part"/> the HTML body, decoded when first read.</summary>
    internal void SetHtmlBodyPart(MimePart part)
    {
        _htmlBody = null;
        _htmlPart = part;
    }

    /// <summary>Returns a plain projection in the shape of a JMAP Email object.</summary>
    public MessageView ToJmapLike() => MessageView.Create(this);

    /// <summary>Deletes temporary files holding spilled part content.</summary>
    public void Dispose()
    {
        foreach (Attachment attachment in Attachments)
        {
            attachment.Content.Dispose();
        }

        foreach (MimeMessage message in AttachedMessages)
        {
            message.Dispose();
        }

        DisposeTree(Body);
    }

    private static void DisposeTree(MimeEntity? entity)
    {
        switch (entity)
        {
            case MimePart part:
                part.Content.Dispose();
                break;
            case Multipart multipart:
                multipart.Children.ForEach(DisposeTree);
                break;
            case MessagePart messagePart:
                messagePart.Message.Dispose();
                break;
        }
    }
}
