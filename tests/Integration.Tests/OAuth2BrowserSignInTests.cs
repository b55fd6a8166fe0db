using System.Text.Json;
using RawMail.OAuth2;
using RawMail.TestSupport;
using Xunit.Abstractions;

namespace RawMail.Integration.Tests;

/// <summary>
/// The authorization code grant with PKCE (RFC 6749 4.1, RFC 7636, RFC 8252) against the local
/// authorization server, with headless Chromium filling in the real login form.
/// </summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed class OAuth2BrowserSignInTests(LocalServersFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly OAuth2Harness _harness = new(fixture.Servers, output);

    [RequiresServersFact]
    public async Task ChromiumSignInLogsInToImap()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        LocalServers servers = fixture.Servers;
        TestUser alice = servers.User("alice");
        OAuth2ProviderOptions options = _harness.CreateOptions("native");
        Uri? authorizationUri = null;
        HeadlessChromium? browser = null;
        options.AuthorizationUrlCallback = async (uri, cancellationToken) =>
        {
            authorizationUri = uri;
            _harness.RecordAuthorizationRequest(uri);
            browser = await HeadlessChromium.LaunchAsync(uri, cancellationToken);
            await browser.WaitUntilAsync("document.querySelector('input[name=password]') !== null", cancellationToken);
            await browser.EvaluateAsync(FillAndSubmitLogin(alice), cancellationToken);
        };

        try
        {
            using var client = new OAuth2Client(options);
            OAuth2Token token = await client.GetTokenAsync(timeout.Token);

            // The browser ended at the loopback listener with the code.
            Uri redirectUri = new(OAuth2Harness.QueryValue(authorizationUri!, "redirect_uri")!);
            string origin = $"http://127.0.0.1:{redirectUri.Port}";
            await browser!.WaitUntilAsync($"location.origin === '{origin}'", timeout.Token);
            Uri landing = await browser.GetLocationAsync(timeout.Token);
            _harness.RecordCode(landing);
            Assert.Equal("S256", OAuth2Harness.QueryValue(authorizationUri!, "code_challenge_method"));
            Assert.Equal("127.0.0.1", redirectUri.Host);
            Assert.NotNull(OAuth2Harness.QueryValue(landing, "code"));
            Assert.Equal(servers.Authorization.Issuer.OriginalString, OAuth2Harness.QueryValue(landing, "iss"));

            Assert.NotEqual(string.Empty, token.AccessToken);
            Assert.NotNull(token.RefreshToken);
            Assert.Contains("mail", token.Scopes);
            JsonElement claims = OAuth2Harness.ReadClaims(token.IdToken!);
            Assert.Equal(alice.Email, claims.GetProperty("sub").GetString());
            Assert.Equal(options.ClientId, claims.GetProperty("aud").GetString());

            string reply = await ImapOAuthLogin.AuthenticateAsync(servers, alice.Email, token.AccessToken, timeout.Token);
            Assert.StartsWith("a1 OK ", reply, StringComparison.Ordinal);
            _harness.AssertNoSecretLogged();
        }
        finally
        {
            if (browser is not null)
            {
                await browser.DisposeAsync();
            }
        }
    }

    [RequiresServersFact]
    public async Task FormSignInLogsInToImap()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        TestUser bob = fixture.Servers.User("bob");
        OAuth2ProviderOptions options = _harness.CreateOptions("basic");
        List<Uri> landings = _harness.SignInWithForm(options, bob);
        using var client = new OAuth2Client(options);

        OAuth2Token token = await client.SignInAsync(timeout.Token);

        Assert.Single(landings);
        Assert.NotNull(token.RefreshToken);
        Assert.Contains("mail", token.Scopes);
        RecordedRequest exchange = _harness.Recorder.Requests.Single(
            request => request.Form.GetValueOrDefault("grant_type") == "authorization_code");
        Assert.Equal("Basic", exchange.AuthorizationScheme);
        Assert.False(exchange.Form.ContainsKey("client_secret"));
        string reply = await ImapOAuthLogin.AuthenticateAsync(fixture.Servers, bob.Email, token.AccessToken, timeout.Token);
        Assert.StartsWith("a1 OK ", reply, StringComparison.Ordinal);
        _harness.AssertNoSecretLogged();
    }

    // GET /interaction/<uid>/abort makes the server redirect with error=access_denied.
    [RequiresServersFact]
    public async Task CancelledSignInIsAccessDenied()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        OAuth2ProviderOptions options = _harness.CreateOptions("native");
        Uri? landing = null;
        options.AuthorizationUrlCallback = async (uri, cancellationToken) =>
        {
            landing = await _harness.Person.CancelAsync(uri, cancellationToken);
        };
        using var client = new OAuth2Client(options);

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.SignInAsync(timeout.Token));

        Assert.Equal("access_denied", exception.Error);
        Assert.Equal(OAuth2ErrorReason.AccessDenied, exception.Reason);
        Assert.Equal("access_denied", OAuth2Harness.QueryValue(landing!, "error"));
        Assert.Null(client.Token);
    }

    [RequiresServersFact]
    public async Task WrongUserIsRejectedByImap()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        TestUser alice = fixture.Servers.User("alice");
        OAuth2ProviderOptions options = _harness.CreateOptions("native");
        _harness.SignInWithForm(options, alice);
        using var client = new OAuth2Client(options);

        OAuth2Token token = await client.GetTokenAsync(timeout.Token);
        string reply = await ImapOAuthLogin.AuthenticateAsync(
            fixture.Servers, fixture.Servers.User("bob").Email, token.AccessToken, timeout.Token);

        Assert.StartsWith("a1 NO ", reply, StringComparison.Ordinal);
    }

    public void Dispose() => _harness.Dispose();

    // Fills the login form's fields and submits it, as a person would.
    private static string FillAndSubmitLogin(TestUser user)
    {
        string login = JsonSerializer.Serialize(user.Email);
        string password = JsonSerializer.Serialize(user.Password);
        return $$"""
            (() => {
                const form = document.querySelector('input[name=password]').form;
                form.elements['login'].value = {{login}};
                form.elements['password'].value = {{password}};
                form.submit();
                return true;
            })()
            """;
    }
}
