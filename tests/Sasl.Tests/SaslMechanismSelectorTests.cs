namespace RawMail.Sasl.Tests;

public sealed class SaslMechanismSelectorTests
{
    private static readonly IAccessTokenProvider s_token = AccessTokenProvider.FromToken("token");
    private static readonly SaslCredentials s_password = SaslCredentials.FromPassword("user", "secret");
    private static readonly SaslCredentials s_tokenOnly = SaslCredentials.FromTokenProvider("user", s_token);
    private static readonly SaslCredentials s_both = new("user", "secret", s_token);

    private static readonly string[] s_gmail =
        ["LOGIN", "PLAIN", "XOAUTH2", "PLAIN-CLIENTTOKEN", "OAUTHBEARER", "XOAUTH"];

    [Fact]
    public void Token_PrefersXOAuth2()
    {
        Assert.Equal("XOAUTH2", new SaslMechanismSelector().SelectName(s_gmail, s_tokenOnly));
    }

    [Fact]
    public void Token_FallsBackToOAuthBearer()
    {
        Assert.Equal("OAUTHBEARER", new SaslMechanismSelector().SelectName(["PLAIN", "OAUTHBEARER"], s_tokenOnly));
    }

    [Fact]
    public void Password_PrefersScramSha256()
    {
        string[] advertised = ["PLAIN", "LOGIN", "SCRAM-SHA-1", "SCRAM-SHA-256", "XOAUTH2"];

        Assert.Equal("SCRAM-SHA-256", new SaslMechanismSelector().SelectName(advertised, s_password));
    }

    [Theory]
    [InlineData("SCRAM-SHA-1 PLAIN LOGIN", "SCRAM-SHA-1")]
    [InlineData("LOGIN PLAIN", "PLAIN")]
    [InlineData("LOGIN CRAM-MD5", "LOGIN")]
    public void Password_Order(string advertised, string expected)
    {
        Assert.Equal(expected, new SaslMechanismSelector().SelectName(advertised.Split(' '), s_password));
    }

    [Fact]
    public void Both_PrefersToken()
    {
        Assert.Equal("XOAUTH2", new SaslMechanismSelector().SelectName(s_gmail, s_both));
    }

    [Fact]
    public void CaseInsensitiveAndDuplicates()
    {
        string[] advertised = ["plain", "Plain", "xoauth2", "XOAUTH2"];

        Assert.Equal("XOAUTH2", new SaslMechanismSelector().SelectName(advertised, s_tokenOnly));
        Assert.Equal("PLAIN", new SaslMechanismSelector().SelectName(advertised, s_password));
    }

    [Fact]
    public void Override_ChangesOrder()
    {
        var selector = new SaslMechanismSelector(["oauthbearer", "XOAUTH2"]);

        Assert.Equal("OAUTHBEARER", selector.SelectName(s_gmail, s_tokenOnly));
        Assert.Equal(["OAUTHBEARER", "XOAUTH2"], selector.Order);
    }

    [Fact]
    public void Override_LeftOutMechanismNotUsed()
    {
        var selector = new SaslMechanismSelector(["PLAIN"]);

        Assert.Null(selector.SelectName(["LOGIN"], s_password));
    }

    [Fact]
    public void Override_UnknownName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SaslMechanismSelector(["CRAM-MD5"]));
    }

    [Fact]
    public void NoMatch_ReturnsNull()
    {
        Assert.Null(new SaslMechanismSelector().Select(["PLAIN", "LOGIN"], s_tokenOnly));
    }

    [Fact]
    public void NoMatch_SelectRequiredThrows()
    {
        var exception = Assert.Throws<SaslException>(
            () => new SaslMechanismSelector().SelectRequired(["GSSAPI"], s_password));

        Assert.Equal(SaslErrorReason.NoSupportedMechanism, exception.Reason);
        Assert.Contains("GSSAPI", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyList_ReturnsNull()
    {
        Assert.Null(new SaslMechanismSelector().SelectName([], s_both));
    }

    [Theory]
    [InlineData("XOAUTH2", typeof(XOAuth2Mechanism))]
    [InlineData("OAUTHBEARER", typeof(OAuthBearerMechanism))]
    [InlineData("SCRAM-SHA-256", typeof(ScramSha256Mechanism))]
    [InlineData("scram-sha-1", typeof(ScramSha1Mechanism))]
    [InlineData("PLAIN", typeof(PlainMechanism))]
    [InlineData("LOGIN", typeof(LoginMechanism))]
    public void Create_ReturnsMechanism(string name, Type expected)
    {
        Assert.IsType(expected, SaslMechanismSelector.Create(name, s_both));
    }

    [Fact]
    public void Create_MissingCredential_Throws()
    {
        Assert.Throws<ArgumentException>(() => SaslMechanismSelector.Create("XOAUTH2", s_password));
    }

    [Fact]
    public void Credentials_NeedSecret()
    {
        Assert.Throws<ArgumentException>(() => new SaslCredentials("user"));
    }

    [Fact]
    public void Credentials_ToStringHidesPassword()
    {
        Assert.DoesNotContain("secret", s_password.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 993, "imap")]
    [InlineData("imap.example.com", 0, "imap")]
    [InlineData("imap.example.com", 65536, "imap")]
    [InlineData("imap.example.com\r\n", 993, "imap")]
    [InlineData("imap example.com", 993, "imap")]
    [InlineData("imap.example.com", 993, "")]
    public void Context_InvalidValue_Throws(string host, int port, string service)
    {
        Assert.ThrowsAny<ArgumentException>(() => new SaslContext(host, port, service));
    }
}
