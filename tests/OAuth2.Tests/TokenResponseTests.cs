using System.Net;
using System.Text;

namespace RawMail.OAuth2.Tests;

public sealed class TokenResponseTests
{
    private static readonly DateTimeOffset s_received = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static OAuth2Token Parse(string body, string mediaType = "application/json", params string[] requestedScopes) =>
        TokenResponse.Parse(HttpStatusCode.OK, mediaType, Encoding.UTF8.GetBytes(body), s_received, requestedScopes);

    private static OAuth2Exception ParseError(HttpStatusCode status, string body, string? mediaType = "application/json") =>
        Assert.Throws<OAuth2Exception>(() =>
            TokenResponse.Parse(status, mediaType, Encoding.UTF8.GetBytes(body), s_received, []));

    [Fact]
    public void ExpiresInAsString()
    {
        OAuth2Token token = Parse(
            "{\"token_type\":\"Bearer\",\"expires_in\":\"3599\",\"ext_expires_in\":\"3599\",\"expires_on\":\"1700003599\"," +
            "\"not_before\":\"1700000000\",\"resource\":\"https://outlook.office.com\"," +
            "\"access_token\":\"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.EXAMPLE.SIG\",\"refresh_token\":\"0.AEXAMPLE2\"}");

        Assert.Equal("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.EXAMPLE.SIG", token.AccessToken);
        Assert.Equal("Bearer", token.TokenType);
        Assert.Equal("0.AEXAMPLE2", token.RefreshToken);
        Assert.Equal(s_received.AddSeconds(3599), token.ExpiresAt);
        Assert.Equal("3599", token.ExtraFields["ext_expires_in"]);
        Assert.Equal("1700003599", token.ExtraFields["expires_on"]);
        Assert.Equal("https://outlook.office.com", token.ExtraFields["resource"]);
    }

    [Fact]
    public void ExpiresInAsNumber()
    {
        OAuth2Token token = Parse(
            "{\n  \"access_token\": \"ya29.EXAMPLE\",\n  \"expires_in\": 3599,\n  \"scope\": \"https://mail.google.com/\",\n" +
            "  \"token_type\": \"Bearer\"\n}");

        Assert.Equal("ya29.EXAMPLE", token.AccessToken);
        Assert.Equal(s_received.AddSeconds(3599), token.ExpiresAt);
        Assert.Equal(["https://mail.google.com/"], token.Scopes);
        Assert.Null(token.RefreshToken);
        Assert.Empty(token.ExtraFields);
    }

    [Fact]
    public void ExpiresInNotInteger()
    {
        OAuth2Exception exception = Assert.Throws<OAuth2Exception>(() =>
            Parse("{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":\"soon\"}"));

        Assert.Equal(OAuth2ErrorReason.MalformedResponse, exception.Reason);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("99999999999999")]
    [InlineData("1e300")]
    public void ExpiresInOutOfRange(string expiresIn)
    {
        OAuth2Exception exception = Assert.Throws<OAuth2Exception>(() =>
            Parse($"{{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":{expiresIn}}}"));

        Assert.Equal(OAuth2ErrorReason.MalformedResponse, exception.Reason);
    }

    [Fact]
    public void MissingExpiresInLeavesNoExpiry()
    {
        OAuth2Token token = Parse("{\"access_token\":\"a\",\"token_type\":\"Bearer\"}");

        Assert.Null(token.ExpiresAt);
    }

    [Fact]
    public void FormEncodedResponse()
    {
        OAuth2Token token = Parse(
            "access_token=gho_EXAMPLE&scope=read%3Auser&token_type=bearer",
            "application/x-www-form-urlencoded");

        Assert.Equal("gho_EXAMPLE", token.AccessToken);
        Assert.Equal(["read:user"], token.Scopes);
        Assert.Equal("bearer", token.TokenType);
        Assert.Null(token.ExpiresAt);
    }

    [Fact]
    public void FormEncodedExpiresAlias()
    {
        OAuth2Token token = Parse("access_token=A&expires=5183999", "application/x-www-form-urlencoded");

        Assert.Equal(s_received.AddSeconds(5183999), token.ExpiresAt);
    }

    [Fact]
    public void MissingScopeMeansRequested()
    {
        OAuth2Token token = Parse(
            "{\"access_token\":\"a\",\"token_type\":\"Bearer\"}", "application/json", "openid", "email");

        Assert.Equal(["openid", "email"], token.Scopes);
    }

    [Fact]
    public void MissingAccessToken()
    {
        OAuth2Exception exception = Assert.Throws<OAuth2Exception>(() => Parse("{\"token_type\":\"Bearer\"}"));

        Assert.Equal(OAuth2ErrorReason.MalformedResponse, exception.Reason);
    }

    [Fact]
    public void MicrosoftErrorBody()
    {
        OAuth2Exception exception = ParseError(
            HttpStatusCode.BadRequest,
            "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50148: The code_verifier does not match the " +
            "code_challenge supplied in the authorization request for PKCE.\\r\\nTrace ID: 11111111-1111-1111-1111-111111111111" +
            "\\r\\nCorrelation ID: 22222222-2222-2222-2222-222222222222\\r\\nTimestamp: 2022-07-27 18:16:02Z\"," +
            "\"error_codes\":[50148],\"timestamp\":\"2022-07-27 18:16:02Z\"," +
            "\"trace_id\":\"11111111-1111-1111-1111-111111111111\"," +
            "\"correlation_id\":\"22222222-2222-2222-2222-222222222222\"}");

        Assert.Equal(OAuth2ErrorReason.InvalidGrant, exception.Reason);
        Assert.Equal("invalid_grant", exception.Error);
        Assert.StartsWith("AADSTS50148: The code_verifier does not match", exception.ErrorDescription);
        Assert.Equal([50148L], exception.ErrorCodes);
        Assert.Equal("11111111-1111-1111-1111-111111111111", exception.TraceId);
        Assert.Equal("22222222-2222-2222-2222-222222222222", exception.CorrelationId);
        Assert.Equal(HttpStatusCode.BadRequest, exception.StatusCode);
    }

    [Fact]
    public void GoogleInvalidGrantBadRequest()
    {
        OAuth2Exception exception = ParseError(
            HttpStatusCode.BadRequest, "{\n  \"error\": \"invalid_grant\",\n  \"error_description\": \"Bad Request\"\n}");

        Assert.Equal(OAuth2ErrorReason.InvalidGrant, exception.Reason);
        Assert.Equal("Bad Request", exception.ErrorDescription);
        Assert.Empty(exception.ErrorCodes);
    }

    [Fact]
    public void InteractionRequiredError()
    {
        OAuth2Exception exception = ParseError(HttpStatusCode.BadRequest, "{\"error\":\"interaction_required\"}");

        Assert.Equal(OAuth2ErrorReason.InteractionRequired, exception.Reason);
    }

    [Fact]
    public void HtmlErrorPage()
    {
        OAuth2Exception exception = ParseError(
            HttpStatusCode.BadRequest, "<html><body>Bad gateway config</body></html>", "text/html");

        Assert.Equal(OAuth2ErrorReason.MalformedResponse, exception.Reason);
        Assert.Null(exception.Error);
        Assert.Contains("HTTP 400", exception.Message);
        Assert.Contains("'text/html'", exception.Message);
        Assert.Contains("<html><body>Bad gateway config", exception.Message);
    }

    [Fact]
    public void ServerErrorStatus()
    {
        OAuth2Exception exception = ParseError(HttpStatusCode.BadGateway, "<html>502 Bad Gateway</html>", "text/html");

        Assert.Equal(OAuth2ErrorReason.ServerError, exception.Reason);
        Assert.Equal(HttpStatusCode.BadGateway, exception.StatusCode);
        Assert.Contains("HTTP 502", exception.Message);
    }

    [Fact]
    public void ServerErrorJson()
    {
        OAuth2Exception exception = ParseError(HttpStatusCode.ServiceUnavailable, "{\"error\":\"temporarily_unavailable\"}");

        Assert.Equal(OAuth2ErrorReason.ServerError, exception.Reason);
        Assert.Equal("temporarily_unavailable", exception.Error);
    }

    [Fact]
    public void ErrorWithStatus200()
    {
        OAuth2Exception exception = ParseError(
            HttpStatusCode.OK, "error=bad_verification_code&error_description=The+code+is+incorrect",
            "application/x-www-form-urlencoded");

        Assert.Equal(OAuth2ErrorReason.Other, exception.Reason);
        Assert.Equal("bad_verification_code", exception.Error);
        Assert.Equal("The code is incorrect", exception.ErrorDescription);
    }

    [Fact]
    public void NonJsonSuccessBody()
    {
        OAuth2Exception exception = ParseError(HttpStatusCode.OK, "<html>login</html>", "text/html");

        Assert.Equal(OAuth2ErrorReason.MalformedResponse, exception.Reason);
    }

    [Fact]
    public void TruncatedJson()
    {
        OAuth2Exception exception = ParseError(HttpStatusCode.OK, "{\"access_token\":\"a\"");

        Assert.Equal(OAuth2ErrorReason.MalformedResponse, exception.Reason);
    }

    [Fact]
    public void TruncatedJson_TokenNotInMessage()
    {
        OAuth2Exception exception = ParseError(
            HttpStatusCode.OK, "{\"access_token\":\"secret-access-token\",\"refresh_token\":\"secret-refresh\"");

        Assert.DoesNotContain("secret-access-token", exception.Message);
    }

    [Fact]
    public void JsonAsOctetStream_TokenNotInMessage()
    {
        OAuth2Exception exception = ParseError(
            HttpStatusCode.OK, "{\"access_token\":\"secret-access-token\"}", "application/octet-stream");

        Assert.DoesNotContain("secret-access-token", exception.Message);
    }

    [Fact]
    public void NonJsonSuccessBody_ShowsLength()
    {
        OAuth2Exception exception = ParseError(HttpStatusCode.OK, "access_token secret-access-token", "text/plain");

        Assert.Contains("32 bytes", exception.Message);
    }

    [Fact]
    public void HtmlSuccessBody_ShowsExcerpt()
    {
        OAuth2Exception exception = ParseError(HttpStatusCode.OK, "<html>Sign in to the proxy</html>", "text/html");

        Assert.Contains("<html>Sign in to the proxy", exception.Message);
    }

    [Fact]
    public void ExcerptEscapesControlCharacters()
    {
        OAuth2Exception exception = ParseError(HttpStatusCode.BadRequest, "line1\r\nline2\u001b", "text/plain");

        Assert.Contains("line1\\u000d\\u000aline2\\u001b", exception.Message);
    }
}
