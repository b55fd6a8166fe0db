using RawMail.Mime;

namespace RawMail.Protocols.Smtp.Tests;

public sealed class SmtpEnvelopeTests
{
    [Fact]
    public void FromMessage_SenderAndAllRecipients()
    {
        using var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Alice", "alice@example.com"));
        message.Sender = new MailboxAddress(null, "list@example.com");
        message.To.Add(new MailboxAddress(null, "bob@example.org"));
        message.Cc.Add(new MailboxAddress(null, "carol@example.org"));
        message.Bcc.Add(new MailboxAddress(null, "BOB@example.org"));
        message.Bcc.Add(new MailboxAddress(null, "dave@example.org"));

        SmtpEnvelope envelope = SmtpEnvelope.FromMessage(message);

        Assert.Equal("list@example.com", envelope.From);
        Assert.Equal(
            ["bob@example.org", "carol@example.org", "dave@example.org"],
            envelope.Recipients.Select(r => r.Address));
    }

    [Fact]
    public void FromMessage_FirstFromWithoutSender()
    {
        using var message = new MimeMessage();
        message.From.Add(new MailboxAddress(null, "alice@example.com"));
        message.From.Add(new MailboxAddress(null, "second@example.com"));
        message.To.Add(new MailboxAddress(null, "bob@example.org"));

        Assert.Equal("alice@example.com", SmtpEnvelope.FromMessage(message).From);
    }

    [Fact]
    public void FromMessage_NoRecipientThrows()
    {
        using var message = new MimeMessage();
        message.From.Add(new MailboxAddress(null, "alice@example.com"));

        Assert.Throws<ArgumentException>(() => SmtpEnvelope.FromMessage(message));
    }

    [Fact]
    public void NoRecipientThrows()
    {
        Assert.Throws<ArgumentException>(() => new SmtpEnvelope("alice@example.com", Array.Empty<string>()));
    }

    [Fact]
    public void XText_EncodesPlusEqualsAndControls()
    {
        var builder = new System.Text.StringBuilder();

        SmtpClient.AppendXText(builder, "a+b=c d\u00e9");

        Assert.Equal("a+2Bb+3Dc+20d+C3+A9", builder.ToString());
    }
}
