using RawMail.Transport;

namespace RawMail.Transport.Tests;

public sealed class ProtocolTextTests
{
    [Theory]
    [InlineData("INBOX\r\n")]
    [InlineData("IN\nBOX")]
    [InlineData("IN\rBOX")]
    [InlineData("IN\0BOX")]
    public void ThrowIfContainsLineBreakOrNul_Rejects(string value)
    {
        var exception = Assert.Throws<ArgumentException>(
            () => ProtocolText.ThrowIfContainsLineBreakOrNul(value, "mailbox"));

        Assert.Equal("mailbox", exception.ParamName);
    }

    [Fact]
    public void ThrowIfContainsLineBreakOrNul_AcceptsTab()
    {
        ProtocolText.ThrowIfContainsLineBreakOrNul("Entwürfe\tarchive", "mailbox");
    }

    [Fact]
    public void Escape_CutsAndEscapes()
    {
        string text = ProtocolText.Escape([(byte)'N', (byte)'O', 0x07, 0xC3, (byte)'a', (byte)'b'], 10);

        Assert.Equal("NO\\x07\\xC3...", text);
    }

    [Fact]
    public void CommandException_EscapesAndCutsResponse()
    {
        byte[] response = [.. "NO \x1b[31mred"u8, .. new byte[2000]];

        var exception = new MailCommandException(CommandErrorReason.No, "SELECT failed", response);

        Assert.StartsWith("NO \\x1B[31mred\\x00", exception.ResponseText, StringComparison.Ordinal);
        Assert.EndsWith("...", exception.ResponseText, StringComparison.Ordinal);
        Assert.True(exception.ResponseText.Length <= MailCommandException.MaxResponseTextLength + 3);
    }

    [Fact]
    public void AuthenticationException_KeepsErrorFields()
    {
        var fields = new Dictionary<string, string> { ["status"] = "invalid_token", ["scope"] = "mail" };

        var exception = new MailAuthenticationException(
            "AUTHENTICATE failed",
            "NO [AUTHENTICATIONFAILED] Invalid credentials"u8,
            "{\"status\":\"invalid_token\"}",
            fields);

        Assert.Equal(CommandErrorReason.AuthenticationFailed, exception.Reason);
        Assert.Equal("invalid_token", exception.ServerErrorFields?["status"]);
        Assert.Equal("{\"status\":\"invalid_token\"}", exception.ServerErrorDetail);
    }
}
