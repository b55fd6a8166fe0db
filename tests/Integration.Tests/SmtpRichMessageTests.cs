using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using RawMail.Mime;
using RawMail.Protocols.Imap;
using RawMail.Protocols.Smtp;
using RawMail.Sasl;
using RawMail.TestSupport;
using RawMail.Transport;
using Imap = RawMail.Protocols.Imap.Model;

namespace RawMail.Integration.Tests;

/// <summary>
/// A message with text, HTML, an inline image and a 10 MB attachment goes out through the local Postfix and comes
/// back over IMAP from Dovecot unchanged, part by part.
/// </summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed class SmtpRichMessageTests(LocalServersFixture fixture)
{
    private const int AttachmentSize = 10 * 1024 * 1024;
    private const string TextBody = "Grüße from the rich message test.\r\nSecond line.\r\n";
    private const string ImageId = "logo.7f3a@rawmail.test";
    private const string AttachmentName = "payload.bin";
    private const int DeliveryPolls = 150;

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(200);

    // A 1x1 transparent PNG.
    private static readonly byte[] s_image = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private static readonly byte[] s_attachment = MakeAttachment();

    private static readonly string s_htmlBody =
        $"<html><body><p>Grüße</p><img src=\"cid:{ImageId}\" alt=\"logo\"></body></html>\r\n";

    private LocalServers Servers => fixture.Servers;

    [RequiresServersTheory]
    [InlineData(TlsMode.StartTls)]
    [InlineData(TlsMode.Implicit)]
    public async Task RichMessage_ArrivesIntact(TlsMode mode)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        CancellationToken ct = timeout.Token;
        string subject = ImapTestSession.UniqueName("rawmail-rich-" + mode);
        await SendAsync(mode, subject, ct);

        await using ImapClient imap = await ImapTestSession.OpenRobotAsync(Servers, ct);
        await imap.ExamineAsync("INBOX", cancellationToken: ct);
        uint uid = await WaitForUidAsync(imap, subject, ct);

        IReadOnlyList<Imap.FetchResponse> fetched = await imap.FetchAsync(Imap.SequenceSet.Of(uid),
            new FetchRequest(FetchItems.BodyStructure), cancellationToken: ct);
        Imap.BodyPart structure = Assert.Single(fetched).BodyStructure!;

        var mixed = Assert.IsType<Imap.Multipart>(structure);
        Assert.Equal("mixed", mixed.MediaSubtype);
        Assert.Equal(2, mixed.Children.Count);
        var alternative = Assert.IsType<Imap.Multipart>(mixed.Children[0]);
        Assert.Equal("alternative", alternative.MediaSubtype);
        Assert.Equal(2, alternative.Children.Count);
        AssertSinglePart(alternative.Children[0], "text/plain", "1.1");
        var related = Assert.IsType<Imap.Multipart>(alternative.Children[1]);
        Assert.Equal("related", related.MediaSubtype);
        Assert.Equal("1.2", related.PartSpecifier);
        Assert.Equal(2, related.Children.Count);
        AssertSinglePart(related.Children[0], "text/html", "1.2.1");
        Imap.SinglePart image = AssertSinglePart(related.Children[1], "image/png", "1.2.2");
        Assert.Equal($"<{ImageId}>", image.ContentId);
        Assert.Equal("inline", image.Disposition!.Type);
        Imap.SinglePart attachment = AssertSinglePart(mixed.Children[1], "application/octet-stream", "2");
        Assert.Equal("base64", attachment.Encoding!.ToLowerInvariant());
        Assert.Equal("attachment", attachment.Disposition!.Type);
        Assert.Equal(AttachmentName, attachment.Disposition.Parameters.Single(p => p.Key == "filename").Value);

        await AssertWholeMessageAsync(imap, uid, ct);

        using var section = new MemoryStream();
        await imap.DownloadBodyAsync(uid, section, attachment.PartSpecifier, ct);
        byte[] decoded = Convert.FromBase64String(Encoding.ASCII.GetString(section.GetBuffer(), 0, (int)section.Length));
        Assert.Equal(SHA256.HashData(s_attachment), SHA256.HashData(decoded));
    }

    private async Task SendAsync(TlsMode mode, string subject, CancellationToken cancellationToken)
    {
        string robot = Servers.Client("robot").Mailbox!;
        string token = await Servers.GetClientCredentialsTokenAsync("robot", cancellationToken);
        await using SmtpClient client = await SmtpClient.ConnectAsync(Options(mode), cancellationToken);
        await client.AuthenticateAsync(
            SaslCredentials.FromTokenProvider(robot, AccessTokenProvider.FromToken(token)), cancellationToken);

        using var message = new MimeMessage { Subject = subject, TextBody = TextBody, HtmlBody = s_htmlBody };
        message.From.Add(new MailboxAddress("Robot", robot));
        message.To.Add(new MailboxAddress("Robot", robot));
        message.Attachments.Add(new Attachment("logo.png", new ContentType("image", "png"),
            MimeContent.FromBytes(s_image))
        {
            ContentId = ImageId,
            IsInline = true,
        });
        // A stream factory, so the writer reads the attachment in chunks as it sends.
        message.Attachments.Add(new Attachment(AttachmentName, new ContentType("application", "octet-stream"),
            MimeContent.FromStream(() => new MemoryStream(s_attachment, writable: false), s_attachment.Length)));

        SendResult result = await client.SendAsync(message, cancellationToken: cancellationToken);
        await client.QuitAsync(cancellationToken);

        Assert.Equal(250, result.Reply.Code);
    }

    private static async Task AssertWholeMessageAsync(ImapClient imap, uint uid, CancellationToken cancellationToken)
    {
        using var download = new MemoryStream();
        await imap.DownloadBodyAsync(uid, download, cancellationToken: cancellationToken);
        download.Position = 0;
        using MimeMessage parsed = await MimeParser.ParseAsync(download, cancellationToken: cancellationToken);

        Assert.Equal(TextBody, parsed.TextBody);
        Assert.Equal(s_htmlBody, parsed.HtmlBody);
        Assert.Equal(2, parsed.Attachments.Count);
        Attachment image = parsed.Attachments[0];
        Assert.Equal("image/png", image.ContentType.MimeType);
        Assert.Equal(ImageId, image.ContentId);
        Assert.True(image.IsInline);
        Assert.Equal(s_image, image.Content.ToArray());
        Attachment attachment = parsed.Attachments[1];
        Assert.Equal(AttachmentName, attachment.FileName);
        Assert.Equal("application/octet-stream", attachment.ContentType.MimeType);
        Assert.False(attachment.IsInline);
        Assert.Equal(AttachmentSize, attachment.Content.Length);
        using Stream content = attachment.Content.Open();
        Assert.Equal(SHA256.HashData(s_attachment), await SHA256.HashDataAsync(content, cancellationToken));
    }

    private static Imap.SinglePart AssertSinglePart(Imap.BodyPart part, string mimeType, string specifier)
    {
        var single = Assert.IsType<Imap.SinglePart>(part);
        Assert.Equal(mimeType, single.MediaType + "/" + single.MediaSubtype);
        Assert.Equal(specifier, single.PartSpecifier);
        return single;
    }

    /// <summary>Returns the UID of the message with this subject, searching the selected mailbox for about 30 seconds.</summary>
    private static async Task<uint> WaitForUidAsync(ImapClient imap, string subject, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < DeliveryPolls; attempt++)
        {
            await imap.NoopAsync(cancellationToken);
            SearchResult found = await imap.SearchAsync(SearchQuery.Subject(subject),
                cancellationToken: cancellationToken);
            if (found.Numbers.Count > 0)
            {
                return Assert.Single(found.Numbers);
            }

            await Task.Delay(s_pollInterval, cancellationToken);
        }

        throw new TimeoutException($"No message with subject '{subject}' arrived in INBOX within about 30 seconds.");
    }

    private static byte[] MakeAttachment()
    {
        var bytes = new byte[AttachmentSize];
        new Random(20261204).NextBytes(bytes);
        return bytes;
    }

    private SmtpClientOptions Options(TlsMode mode) => new()
    {
        Connection = new MailConnectionOptions
        {
            Host = "localhost",
            Port = mode == TlsMode.Implicit ? Servers.Ports.Submissions : Servers.Ports.Submission,
            TlsMode = mode,
            TrustedCertificateAuthorities = new X509Certificate2Collection(Servers.CaCertificate),
            CommandTimeout = TimeSpan.FromSeconds(30),
        },
        EhloDomain = "client.rawmail.test",
        MechanismOrder = ["XOAUTH2"],
    };
}
