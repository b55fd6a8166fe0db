using System.Buffers.Text;
using System.Text;

namespace RawMail.OAuth2.Tests;

public sealed class MicrosoftAudienceTests
{
    private static string UnsignedJwt(string payloadJson) =>
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson)) + ".SIG";

    private static OAuth2ProviderOptions WithScopes(params string[] scopes)
    {
        var options = new OAuth2ProviderOptions { Provider = OAuth2Provider.Microsoft, ClientId = "c" };
        foreach (string scope in scopes)
        {
            options.Scopes.Add(scope);
        }

        return options;
    }

    [Fact]
    public void GraphAndOutlookScopesRejected()
    {
        OAuth2ProviderOptions options = WithScopes(
            "https://graph.microsoft.com/Mail.Read", "https://outlook.office.com/IMAP.AccessAsUser.All");

        OAuth2Exception exception = Assert.Throws<OAuth2Exception>(() => new OAuth2Client(options));

        Assert.Equal(OAuth2ErrorReason.InvalidConfiguration, exception.Reason);
        Assert.Contains("https://graph.microsoft.com, https://outlook.office.com", exception.Message);
    }

    [Fact]
    public void BareGraphNameWithOutlookRejected()
    {
        OAuth2ProviderOptions options = WithScopes("Mail.ReadWrite", "https://outlook.office.com/SMTP.Send");

        Assert.Throws<OAuth2Exception>(() => new OAuth2Client(options));
    }

    [Fact]
    public void MailScopesWithOpenIdAccepted()
    {
        OAuth2ProviderOptions options = WithScopes(
            "openid", "offline_access", "https://outlook.office.com/IMAP.AccessAsUser.All",
            "https://outlook.office.com/SMTP.Send", "https://outlook.office365.com/POP.AccessAsUser.All");

        using var client = new OAuth2Client(options);

        Assert.Null(client.Token);
    }

    [Theory]
    [InlineData("https://outlook.office.com/IMAP.AccessAsUser.All", "https://outlook.office.com")]
    [InlineData("https://outlook.office365.com/.default", "https://outlook.office.com")]
    [InlineData("Mail.Read", "https://graph.microsoft.com")]
    [InlineData("api://11111111-1111-1111-1111-111111111111/access", "api://11111111-1111-1111-1111-111111111111")]
    public void ResourceOfScope(string scope, string resource)
    {
        Assert.Equal(resource, MicrosoftScopes.ResourceOf(scope));
    }

    [Fact]
    public void GraphTokenNotForExchange()
    {
        AccessTokenClaims? claims = AccessTokenClaims.TryRead(
            UnsignedJwt("{\"aud\":\"https://graph.microsoft.com\",\"scp\":\"Mail.Read User.Read\"}"));

        Assert.False(claims!.IsForExchangeOnline);
        Assert.Equal(["Mail.Read", "User.Read"], claims.Scopes);
    }

    [Fact]
    public void DelegatedImapToken()
    {
        AccessTokenClaims? claims = AccessTokenClaims.TryRead(
            UnsignedJwt("{\"aud\":\"https://outlook.office.com\",\"scp\":\"IMAP.AccessAsUser.All SMTP.Send\"}"));

        Assert.True(claims!.IsForExchangeOnline);
        Assert.Equal(["IMAP.AccessAsUser.All", "SMTP.Send"], claims.Scopes);
        Assert.Empty(claims.Roles);
    }

    [Fact]
    public void AppOnlyImapToken()
    {
        AccessTokenClaims? claims = AccessTokenClaims.TryRead(
            UnsignedJwt("{\"aud\":\"https://ps.outlook.com\",\"roles\":[\"IMAP.AccessAsApp\"]}"));

        Assert.True(claims!.IsForExchangeOnline);
        Assert.Equal(["IMAP.AccessAsApp"], claims.Roles);
    }

    [Theory]
    [InlineData("ya29.EXAMPLE-ACCESS-TOKEN")]
    [InlineData("a.!!!.c")]
    [InlineData("a.bm90IGpzb24.c")]
    public void OpaqueTokenHasNoClaims(string accessToken)
    {
        Assert.Null(AccessTokenClaims.TryRead(accessToken));
    }
}
