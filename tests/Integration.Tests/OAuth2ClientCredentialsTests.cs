using RawMail.OAuth2;
using RawMail.TestSupport;
using Xunit.Abstractions;

namespace RawMail.Integration.Tests;

/// <summary>
/// The client credentials grant (RFC 6749 4.4) with each token endpoint authentication method the
/// server offers; every token acts for the client's own mailbox.
/// </summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed class OAuth2ClientCredentialsTests(LocalServersFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly OAuth2Harness _harness = new(fixture.Servers, output);

    [RequiresServersTheory]
    [InlineData("basic", "Basic")]
    [InlineData("post", null)]
    [InlineData("jwt", null)]
    public async Task ServiceTokenLogsInToImap(string clientKey, string? authorizationScheme)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        OAuth2ProviderOptions options = _harness.CreateOptions(clientKey, ["mail"]);
        options.Permission = OAuth2PermissionMode.Service;
        using var client = new OAuth2Client(options);

        OAuth2Token token = await client.GetTokenAsync(timeout.Token);

        RecordedRequest request = _harness.Recorder.Requests.Single(
            sent => sent.Form.GetValueOrDefault("grant_type") == "client_credentials");
        Assert.Equal(authorizationScheme, request.AuthorizationScheme);
        Assert.Contains("mail", token.Scopes);
        Assert.Null(token.RefreshToken);
        string mailbox = fixture.Servers.Client(clientKey).Mailbox!;
        string reply = await ImapOAuthLogin.AuthenticateAsync(fixture.Servers, mailbox, token.AccessToken, timeout.Token);
        Assert.StartsWith("a1 OK ", reply, StringComparison.Ordinal);
        _harness.AssertNoSecretLogged();
    }

    [RequiresServersFact]
    public async Task PostSendsSecretInBody()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        OAuth2ProviderOptions options = _harness.CreateOptions("post", ["mail"]);
        options.Permission = OAuth2PermissionMode.Service;
        using var client = new OAuth2Client(options);

        await client.GetTokenAsync(timeout.Token);

        RecordedRequest request = _harness.Recorder.Requests.Single(
            sent => sent.Form.GetValueOrDefault("grant_type") == "client_credentials");
        Assert.Equal(options.ClientSecret, request.Form["client_secret"]);
        Assert.Equal(options.ClientId, request.Form["client_id"]);
    }

    [RequiresServersFact]
    public async Task JwtSendsClientAssertion()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        OAuth2ProviderOptions options = _harness.CreateOptions("jwt", ["mail"]);
        options.Permission = OAuth2PermissionMode.Service;
        using var client = new OAuth2Client(options);

        await client.GetTokenAsync(timeout.Token);

        RecordedRequest request = _harness.Recorder.Requests.Single(
            sent => sent.Form.GetValueOrDefault("grant_type") == "client_credentials");
        Assert.Equal(
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", request.Form["client_assertion_type"]);
        var claims = OAuth2Harness.ReadClaims(request.Form["client_assertion"]);
        Assert.Equal(options.ClientId, claims.GetProperty("iss").GetString());
        Assert.Equal(fixture.Servers.Authorization.TokenEndpoint.AbsoluteUri, claims.GetProperty("aud").GetString());
    }

    [RequiresServersFact]
    public async Task WrongSecretIsInvalidClient()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        OAuth2ProviderOptions options = _harness.CreateOptions("basic", ["mail"]);
        options.Permission = OAuth2PermissionMode.Service;
        options.ClientSecret = "not-the-secret";
        using var client = new OAuth2Client(options);

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.GetTokenAsync(timeout.Token));

        Assert.Equal("invalid_client", exception.Error);
        Assert.Equal(OAuth2ErrorReason.InvalidClient, exception.Reason);
    }

    public void Dispose() => _harness.Dispose();
}
