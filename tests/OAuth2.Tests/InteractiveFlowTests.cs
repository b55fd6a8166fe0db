using System.Net;

namespace RawMail.OAuth2.Tests;

public sealed class InteractiveFlowTests : IDisposable
{
    private const string Issuer = "https://auth.example.test";
    private static readonly DateTimeOffset s_now = new(2026, 1, 2, 3, 0, 0, TimeSpan.Zero);
    private readonly TestIdTokens _tokens = new();

    public void Dispose() => _tokens.Dispose();

    private static string Discovery(string issuer, bool issParameter) =>
        $"{{\"issuer\":\"{issuer}\",\"authorization_endpoint\":\"{Issuer}/authorize\",\"token_endpoint\":\"{Issuer}/token\"," +
        $"\"jwks_uri\":\"{Issuer}/jwks\",\"authorization_response_iss_parameter_supported\":{(issParameter ? "true" : "false")}}}";

    /// <summary>Plays the browser: reads the authorization URL and sends the redirect to the listener.</summary>
    private static Func<Uri, CancellationToken, Task> Browser(Dictionary<string, string> seen, string? issuer)
    {
        return async (uri, cancellationToken) =>
        {
            foreach (KeyValuePair<string, string> field in FormUrlEncoding.Decode(uri.Query))
            {
                seen[field.Key] = field.Value;
            }

            string redirect = $"{seen["redirect_uri"]}?code=CODE&state={Uri.EscapeDataString(seen["state"])}";
            if (issuer is not null)
            {
                redirect += "&iss=" + Uri.EscapeDataString(issuer);
            }

            using var http = new HttpClient();
            using HttpResponseMessage page = await http.GetAsync(redirect, cancellationToken);
        };
    }

    private static OAuth2ProviderOptions OidcOptions(ScriptedHttpHandler handler, Dictionary<string, string> seen, string? iss)
    {
        var options = new OAuth2ProviderOptions
        {
            ClientId = "client-1",
            Issuer = new Uri(Issuer),
            RedirectUri = new Uri("http://127.0.0.1:0/callback"),
            OpenBrowser = false,
            AuthorizationUrlCallback = Browser(seen, iss),
            HttpClient = new HttpClient(handler),
            TimeProvider = new ManualTimeProvider(s_now),
        };
        options.Scopes.Add("openid");
        options.Scopes.Add("email");
        return options;
    }

    private Func<CapturedRequest, HttpResponseMessage> TokenResponse(Dictionary<string, string> seen, string audience = "client-1") =>
        _ => ScriptedHttpHandler.Response(HttpStatusCode.OK,
            "{\"access_token\":\"AT\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"refresh_token\":\"RT\"," +
            $"\"id_token\":\"{_tokens.Create(Issuer, audience, seen["nonce"], s_now, TimeSpan.FromHours(1))}\"}}");

    [Fact]
    public async Task OpenIdSignIn()
    {
        var seen = new Dictionary<string, string>();
        var handler = new ScriptedHttpHandler()
            .Respond(HttpStatusCode.OK, Discovery(Issuer, issParameter: true))
            .Respond(TokenResponse(seen))
            .Respond(HttpStatusCode.OK, _tokens.Jwks);
        using var client = new OAuth2Client(OidcOptions(handler, seen, Issuer));

        OAuth2Token token = await client.GetTokenAsync(CancellationToken.None);
        Dictionary<string, string> form = FormUrlEncoding.Decode(handler.Requests[1].Body).ToDictionary();

        Assert.Equal("AT", token.AccessToken);
        Assert.Equal("RT", token.RefreshToken);
        Assert.Equal(s_now.AddHours(1), token.ExpiresAt);
        Assert.Equal("https://auth.example.test/.well-known/openid-configuration", handler.Requests[0].Uri.AbsoluteUri);
        Assert.Equal("https://auth.example.test/token", handler.Requests[1].Uri.AbsoluteUri);
        Assert.Equal("https://auth.example.test/jwks", handler.Requests[2].Uri.AbsoluteUri);
        Assert.Equal("openid email", seen["scope"]);
        Assert.Equal("S256", seen["code_challenge_method"]);
        Assert.Equal("CODE", form["code"]);
        Assert.Equal(seen["redirect_uri"], form["redirect_uri"]);
        Assert.Equal(seen["code_challenge"], Pkce.ComputeS256Challenge(form["code_verifier"]));
        Assert.DoesNotContain(":0/", seen["redirect_uri"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdTokenWrongAudienceRejected()
    {
        var seen = new Dictionary<string, string>();
        var handler = new ScriptedHttpHandler()
            .Respond(HttpStatusCode.OK, Discovery(Issuer, issParameter: false))
            .Respond(TokenResponse(seen, audience: "other-client"))
            .Respond(HttpStatusCode.OK, _tokens.Jwks);
        using var client = new OAuth2Client(OidcOptions(handler, seen, iss: null));

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.GetTokenAsync(CancellationToken.None));

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, exception.Reason);
    }

    [Fact]
    public async Task DiscoveryIssuerMismatch()
    {
        var seen = new Dictionary<string, string>();
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.OK, Discovery("https://evil.example.test", false));
        using var client = new OAuth2Client(OidcOptions(handler, seen, iss: null));

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.GetTokenAsync(CancellationToken.None));

        Assert.Equal(OAuth2ErrorReason.IssuerMismatch, exception.Reason);
    }

    [Fact]
    public async Task DiscoveryHtmlPage()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.OK, "<html>portal</html>", "text/html");
        using var client = new OAuth2Client(OidcOptions(handler, [], iss: null));

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.GetEndpointsAsync(CancellationToken.None));

        Assert.Equal(OAuth2ErrorReason.MalformedResponse, exception.Reason);
    }

    [Fact]
    public async Task DiscoveryHttpEndpointRejected()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.OK,
            $"{{\"issuer\":\"{Issuer}\",\"token_endpoint\":\"http://auth.example.test/token\"}}");
        using var client = new OAuth2Client(OidcOptions(handler, [], iss: null));

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.GetEndpointsAsync(CancellationToken.None));

        Assert.Equal(OAuth2ErrorReason.InvalidConfiguration, exception.Reason);
    }

    [Fact]
    public async Task LoopbackIssuerOverHttp()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.OK,
            "{\"issuer\":\"http://127.0.0.1:19000\",\"authorization_endpoint\":\"http://127.0.0.1:19000/authorize\"," +
            "\"token_endpoint\":\"http://127.0.0.1:19000/token\",\"device_authorization_endpoint\":\"http://127.0.0.1:19000/device\"}");
        var options = new OAuth2ProviderOptions
        {
            ClientId = "c",
            Issuer = new Uri("http://127.0.0.1:19000"),
            HttpClient = new HttpClient(handler),
        };
        using var client = new OAuth2Client(options);

        OAuth2Endpoints endpoints = await client.GetEndpointsAsync(CancellationToken.None);

        Assert.Equal("http://127.0.0.1:19000/.well-known/openid-configuration", handler.Requests[0].Uri.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:19000/token", endpoints.TokenEndpoint.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:19000/device", endpoints.DeviceAuthorizationEndpoint!.AbsoluteUri);
    }

    [Fact]
    public async Task RepeatConsentKeepsRefreshToken()
    {
        var seen = new Dictionary<string, string>();
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.OK,
            "{\"access_token\":\"ya29.EXAMPLE\",\"expires_in\":3599,\"scope\":\"https://mail.google.com/\",\"token_type\":\"Bearer\"}");
        var options = new OAuth2ProviderOptions
        {
            Provider = OAuth2Provider.Google,
            ClientId = "1234-example.apps.googleusercontent.com",
            ClientSecret = "EXAMPLE",
            OpenBrowser = false,
            AuthorizationUrlCallback = Browser(seen, issuer: null),
            HttpClient = new HttpClient(handler),
            TimeProvider = new ManualTimeProvider(s_now),
            Token = new OAuth2Token { AccessToken = "old", RefreshToken = "1//0EXAMPLE", ExpiresAt = s_now },
        };
        options.Scopes.Add("https://mail.google.com/");
        using var client = new OAuth2Client(options);

        OAuth2Token token = await client.SignInAsync(CancellationToken.None);

        Assert.Equal("ya29.EXAMPLE", token.AccessToken);
        Assert.Equal("1//0EXAMPLE", token.RefreshToken);
        Assert.Equal("offline", seen["access_type"]);
        Assert.False(seen.ContainsKey("prompt"));
        Assert.Equal("https://oauth2.googleapis.com/token", handler.Requests[0].Uri.AbsoluteUri);
    }

    [Fact]
    public async Task NoWayToShowUrl()
    {
        var options = new OAuth2ProviderOptions
        {
            ClientId = "c",
            AuthorizationEndpoint = new Uri("https://auth.example.test/authorize"),
            TokenEndpoint = new Uri("https://auth.example.test/token"),
            OpenBrowser = false,
            HttpClient = new HttpClient(new ScriptedHttpHandler()),
        };
        using var client = new OAuth2Client(options);

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.GetTokenAsync(CancellationToken.None));

        Assert.Equal(OAuth2ErrorReason.InvalidConfiguration, exception.Reason);
    }
}
