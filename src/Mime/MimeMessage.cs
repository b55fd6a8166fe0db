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

    public string? TextBody { get; set; }

    public string? HtmlBody { get; set; }

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
