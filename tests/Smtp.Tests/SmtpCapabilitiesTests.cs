namespace RawMail.Protocols.Smtp.Tests;

public sealed class SmtpCapabilitiesTests
{
    private static SmtpCapabilities Parse(params string[] lines) => SmtpCapabilities.Parse(new SmtpReply(250, lines));

    [Fact]
    public void Keywords_CaseInsensitive()
    {
        SmtpCapabilities capabilities = Parse("mx.example.com Hello", "pipelining", "Chunking", "smtputf8", "dsn",
            "EnhancedStatusCodes", "requiretls", "StartTLS", "8bitmime", "binarymime");

        Assert.Equal(
            SmtpExtensions.Pipelining | SmtpExtensions.Chunking | SmtpExtensions.SmtpUtf8 | SmtpExtensions.Dsn
                | SmtpExtensions.EnhancedStatusCodes | SmtpExtensions.RequireTls | SmtpExtensions.StartTls
                | SmtpExtensions.EightBitMime | SmtpExtensions.BinaryMime,
            capabilities.Extensions);
        Assert.Equal("mx.example.com", capabilities.Domain);
        Assert.True(capabilities.IsExtended);
    }

    [Fact]
    public void AuthEqualsForm_UnionedWithAuth()
    {
        SmtpCapabilities capabilities = Parse("mx", "AUTH=LOGIN CRAM-MD5", "AUTH plain login", "AUTH=XOAUTH2");

        Assert.Equal(["LOGIN", "CRAM-MD5", "PLAIN", "XOAUTH2"], capabilities.AuthenticationMechanisms);
        Assert.True(capabilities.Supports(SmtpExtensions.Authentication));
    }

    [Fact]
    public void AuthEqualsAlone()
    {
        SmtpCapabilities capabilities = Parse("mx", "AUTH=PLAIN");

        Assert.Equal(["PLAIN"], capabilities.AuthenticationMechanisms);
    }

    [Theory]
    [InlineData("SIZE 35882577", 35882577L)]
    [InlineData("SIZE", 0L)]
    [InlineData("SIZE none", 0L)]
    [InlineData("size 10", 10L)]
    public void Size(string line, long expected)
    {
        Assert.Equal(expected, Parse("mx", line).MaxMessageSize);
    }

    [Fact]
    public void SizeAbsent_Null()
    {
        Assert.Null(Parse("mx", "PIPELINING").MaxMessageSize);
    }

    [Fact]
    public void DuplicateKeyword_FirstWins()
    {
        SmtpCapabilities capabilities = Parse("mx", "SIZE 100", "SIZE 200");

        Assert.Equal(100, capabilities.MaxMessageSize);
        Assert.Equal("100", capabilities.Keywords["SIZE"]);
    }

    [Fact]
    public void UnknownKeyword_Kept()
    {
        SmtpCapabilities capabilities = Parse("mx", "X-EXPS GSSAPI NTLM", "VRFY");

        Assert.Equal("GSSAPI NTLM", capabilities.Keywords["x-exps"]);
        Assert.Equal(SmtpExtensions.None, capabilities.Extensions);
    }

    [Fact]
    public void GreetingLineIsNotKeyword()
    {
        SmtpCapabilities capabilities = Parse("PIPELINING.example.com");

        Assert.False(capabilities.Supports(SmtpExtensions.Pipelining));
    }
}
