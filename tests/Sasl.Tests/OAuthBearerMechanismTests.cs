using System.Text;
using static RawMail.Sasl.Tests.SaslTestHelpers;

namespace RawMail.Sasl.Tests;

public sealed class OAuthBearerMechanismTests
{
    private static OAuthBearerMechanism Create(string user, string token) =>
        new(user, AccessTokenProvider.FromToken(token));

    [Fact]
    public void InitialResponse_Rfc7628Example()
    {
        // RFC 7628 section 4.1.
        var mechanism = Create("user@example.com", "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==");
        var context = new SaslContext("server.example.com", 143, "imap");

        using SaslResponse response = CreateInitial(mechanism, context);

        Assert.Equal("n,a=user@example.com,\u0001host=server.example.com\u0001port=143\u0001"
            + "auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\u0001\u0001", Text(response));
    }

    [Fact]
    public void InitialResponse_SmtpBase64()
    {
        var mechanism = Create("alice@example.com", "EXAMPLE-ACCESS-TOKEN");
        var context = new SaslContext("smtp.example.com", 587, "smtp");

        using SaslResponse response = CreateInitial(mechanism, context);

        Assert.Equal("bixhPWFsaWNlQGV4YW1wbGUuY29tLAFob3N0PXNtdHAuZXhhbXBsZS5jb20BcG9ydD01ODcBYXV0aD1CZWFyZXIg"
            + "RVhBTVBMRS1BQ0NFU1MtVE9LRU4BAQ==", response.ToBase64());
    }

    [Fact]
    public void InitialResponse_EscapesCommaAndEquals()
    {
        var mechanism = Create("a,b=c@example.com", "t");

        using SaslResponse response = CreateInitial(mechanism);

        Assert.StartsWith("n,a=a=2Cb=3Dc@example.com,\u0001", Text(response), StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorChallenge_AnsweredWithSeparator()
    {
        var mechanism = Create("alice@example.com", "EXAMPLE-ACCESS-TOKEN");
        using SaslResponse initial = CreateInitial(mechanism, new SaslContext("smtp.example.com", 587, "smtp"));
        byte[] challenge = Convert.FromBase64String("eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJodHRwczovL21h"
            + "aWwuZXhhbXBsZS5jb20vIiwib3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczovL2lkcC5leGFtcGxlLmNvbS8ud2VsbC1rbm93bi"
            + "9vcGVuaWQtY29uZmlndXJhdGlvbiJ9");

        using SaslResponse answer = mechanism.EvaluateChallenge(challenge);

        Assert.Equal("AQ==", answer.ToBase64());
        Assert.True(mechanism.HasServerError);
        Assert.Equal("invalid_token", mechanism.OAuthError!.Status);
        Assert.Equal("https://mail.example.com/", mechanism.OAuthError.Scope);
        Assert.Equal("https://idp.example.com/.well-known/openid-configuration",
            mechanism.OAuthError.OpenIdConfiguration);
        Assert.Null(mechanism.OAuthError.Schemes);
    }

    [Theory]
    [InlineData(" {\"status\":\"401\"}")]
    [InlineData("arbitrary text")]
    [InlineData("")]
    public void AnyChallenge_IsFailure(string challenge)
    {
        var mechanism = Create("alice@example.com", "t");
        using SaslResponse initial = CreateInitial(mechanism);

        using SaslResponse answer = mechanism.EvaluateChallenge(Encoding.UTF8.GetBytes(challenge));

        Assert.Equal(new byte[] { 0x01 }, answer.Span.ToArray());
        Assert.True(mechanism.HasServerError);
    }

    [Fact]
    public void LeadingWhitespaceJson_StillParsed()
    {
        var mechanism = Create("alice@example.com", "t");
        using SaslResponse initial = CreateInitial(mechanism);

        using SaslResponse answer = mechanism.EvaluateChallenge(" {\"status\":\"401\"}"u8);

        Assert.Equal("401", mechanism.OAuthError!.Status);
    }

    [Fact]
    public void SecondChallenge_Throws()
    {
        var mechanism = Create("alice@example.com", "t");
        using SaslResponse initial = CreateInitial(mechanism);
        using SaslResponse answer = mechanism.EvaluateChallenge("{}"u8);

        var exception = Assert.Throws<SaslException>(() => mechanism.EvaluateChallenge("{}"u8));

        Assert.Equal(SaslErrorReason.UnexpectedChallenge, exception.Reason);
    }

    [Fact]
    public void EmptyUser_OmitsAuthorizationId()
    {
        var mechanism = Create("", "t");

        using SaslResponse response = CreateInitial(mechanism);

        Assert.StartsWith("n,,\u0001host=imap.example.com\u0001port=993\u0001", Text(response),
            StringComparison.Ordinal);
    }
}
