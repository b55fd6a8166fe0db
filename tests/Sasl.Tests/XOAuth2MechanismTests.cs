using System.Text;
using static RawMail.Sasl.Tests.SaslTestHelpers;

namespace RawMail.Sasl.Tests;

public sealed class XOAuth2MechanismTests
{
    private static XOAuth2Mechanism Create(string user = "alice@example.com",
        string token = "ya29.EXAMPLE-ACCESS-TOKEN") => new(user, AccessTokenProvider.FromToken(token));

    [Fact]
    public void InitialResponse_GoogleExample()
    {
        var mechanism = Create("someone@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg");

        using SaslResponse response = CreateInitial(mechanism);

        Assert.Equal("dXNlcj1zb21lb25lQGV4YW1wbGUuY29tAWF1dGg9QmVhcmVyIHlhMjkudkY5ZGZ0NHFtVGMyTnZiM1JsY2tCaGRIUmhk"
            + "bWx6ZEdFdVkyOXRDZwEB",
            response.ToBase64());
    }

    [Fact]
    public void InitialResponse_ExactBytes()
    {
        using SaslResponse response = CreateInitial(Create());

        Assert.Equal("user=alice@example.com\u0001auth=Bearer ya29.EXAMPLE-ACCESS-TOKEN\u0001\u0001", Text(response));
    }

    [Fact]
    public void InitialResponse_LengthMatchesBase64()
    {
        using SaslResponse response = CreateInitial(Create());

        Assert.Equal(response.ToBase64().Length, response.Base64Length);
        Assert.Equal(62, response.Length);
    }

    [Fact]
    public void InitialResponse_MarksComplete()
    {
        var mechanism = Create();

        using SaslResponse response = CreateInitial(mechanism);

        Assert.True(mechanism.IsComplete);
        Assert.False(mechanism.HasServerError);
        Assert.Equal("XOAUTH2", mechanism.Name);
        Assert.True(mechanism.SupportsInitialResponse);
    }

    [Fact]
    public void GmailErrorChallenge_AnsweredEmpty()
    {
        // Gmail SMTP replies to "AUTH XOAUTH2 <initial response>" with "334 <base64 JSON>". The
        // client sends an empty line, and the server then sends the final 535.
        var mechanism = Create();
        using SaslResponse initial = CreateInitial(mechanism);
        Assert.Equal("dXNlcj1hbGljZUBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LkVYQU1QTEUtQUNDRVNTLVRPS0VOAQE=",
            initial.ToBase64());
        byte[] challenge = Convert.FromBase64String(
            "eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==");

        using SaslResponse answer = mechanism.EvaluateChallenge(challenge);

        Assert.True(answer.IsEmpty);
        Assert.True(mechanism.HasServerError);
        Assert.NotNull(mechanism.OAuthError);
        Assert.Equal("400", mechanism.OAuthError.Status);
        Assert.Equal("Bearer", mechanism.OAuthError.Schemes);
        Assert.Equal("https://mail.google.com/", mechanism.OAuthError.Scope);
        Assert.Null(mechanism.OAuthError.OpenIdConfiguration);
    }

    [Fact]
    public void ErrorChallenge_WithOpenIdConfiguration()
    {
        var mechanism = Create();
        using SaslResponse initial = CreateInitial(mechanism);
        byte[] challenge = Encoding.UTF8.GetBytes("{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\","
            + "\"openid-configuration\":\"http://127.0.0.1:19000/.well-known/openid-configuration\"}");

        using SaslResponse answer = mechanism.EvaluateChallenge(challenge);

        Assert.True(answer.IsEmpty);
        Assert.Equal("401", mechanism.OAuthError!.Status);
        Assert.Equal("bearer", mechanism.OAuthError.Schemes);
        Assert.Equal("mail", mechanism.OAuthError.Scope);
        Assert.Equal("http://127.0.0.1:19000/.well-known/openid-configuration",
            mechanism.OAuthError.OpenIdConfiguration);
    }

    [Fact]
    public void EmptyChallengeAfterToken_IsServerError()
    {
        // An empty challenge after the token cannot be success, because XOAUTH2 defines no server data.
        var mechanism = Create();
        using SaslResponse initial = CreateInitial(mechanism);

        using SaslResponse answer = mechanism.EvaluateChallenge([]);

        Assert.True(answer.IsEmpty);
        Assert.True(mechanism.HasServerError);
        Assert.Null(mechanism.OAuthError);
        Assert.True(mechanism.ErrorChallenge.IsEmpty);
    }

    [Fact]
    public void NonJsonChallenge_KeptRaw()
    {
        var mechanism = Create();
        using SaslResponse initial = CreateInitial(mechanism);

        using SaslResponse answer = mechanism.EvaluateChallenge("not json"u8);

        Assert.True(answer.IsEmpty);
        Assert.Null(mechanism.OAuthError);
        Assert.Equal("not json", Encoding.ASCII.GetString(mechanism.ErrorChallenge.Span));
    }

    [Fact]
    public void SecondChallenge_Throws()
    {
        var mechanism = Create();
        using SaslResponse initial = CreateInitial(mechanism);
        using SaslResponse answer = mechanism.EvaluateChallenge("{}"u8);

        var exception = Assert.Throws<SaslException>(() => mechanism.EvaluateChallenge("{}"u8));

        Assert.Equal(SaslErrorReason.UnexpectedChallenge, exception.Reason);
    }

    [Fact]
    public void TwoStep_InitialResponseSentAfterEmptyChallenge()
    {
        // Office 365 POP3 needs "AUTH XOAUTH2" alone. The server replies "+", an empty challenge, and
        // the client sends the initial response it already built without evaluating that challenge.
        var mechanism = Create();

        using SaslResponse initial = CreateInitial(mechanism);

        Assert.Equal("dXNlcj1hbGljZUBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LkVYQU1QTEUtQUNDRVNTLVRPS0VOAQE=",
            initial.ToBase64());
        Assert.False(mechanism.HasServerError);
    }

    [Fact]
    public async Task TokenProvider_CalledPerInitialResponse()
    {
        int calls = 0;
        var provider = AccessTokenProvider.FromDelegate(_ =>
        {
            calls++;
            return ValueTask.FromResult($"token-{calls}");
        });

        using SaslResponse? first = await new XOAuth2Mechanism("a@example.com", provider)
            .CreateInitialResponseAsync(ImapContext, CancellationToken.None);
        using SaslResponse? second = await new XOAuth2Mechanism("a@example.com", provider)
            .CreateInitialResponseAsync(ImapContext, CancellationToken.None);

        Assert.Equal("token-1", DecodeXOAuth2(first!.Span).Token);
        Assert.Equal("token-2", DecodeXOAuth2(second!.Span).Token);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tok\u0001en")]
    [InlineData("tok\r\nen")]
    [InlineData("tok en")]
    [InlineData("tök")]
    public async Task InvalidToken_Throws(string token)
    {
        var provider = AccessTokenProvider.FromDelegate(_ => ValueTask.FromResult(token));
        var mechanism = new XOAuth2Mechanism("a@example.com", provider);

        var exception = await Assert.ThrowsAsync<SaslException>(
            async () => await mechanism.CreateInitialResponseAsync(ImapContext, CancellationToken.None));

        Assert.Equal(SaslErrorReason.InvalidAccessToken, exception.Reason);
        Assert.DoesNotContain(token.Length == 0 ? "\0" : token, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\u0001b@example.com")]
    [InlineData("a\r\n@example.com")]
    [InlineData("a\0b")]
    public void ControlCharacterInUser_Throws(string user)
    {
        Assert.Throws<ArgumentException>(() => new XOAuth2Mechanism(user, AccessTokenProvider.FromToken("t")));
    }

    [Fact]
    public void ChallengeBeforeInitialResponse_Throws()
    {
        var mechanism = Create();

        Assert.Throws<InvalidOperationException>(() => mechanism.EvaluateChallenge([]));
    }

    [Fact]
    public async Task Cancellation_Propagates()
    {
        var mechanism = Create();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        await Assert.ThrowsAsync<OperationCanceledException>(
            async () => await mechanism.CreateInitialResponseAsync(ImapContext, cancellation.Token));
    }
}
