using System.Text;

namespace RawMail.OAuth2.Tests;

public sealed class RequestBuildingTests
{
    // The verifier and challenge pair from RFC 7636 Appendix B.
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private const string Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private const string MicrosoftClientId = "00000000-0000-0000-0000-000000000001";
    private const string GoogleClientId = "1234-example.apps.googleusercontent.com";
    private static readonly DateTimeOffset s_now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static OAuth2ProviderOptions MicrosoftOptions()
    {
        var options = new OAuth2ProviderOptions
        {
            Provider = OAuth2Provider.Microsoft,
            ClientId = MicrosoftClientId,
            LoginHint = "alice@example.com",
        };
        options.Scopes.Add("https://outlook.office.com/IMAP.AccessAsUser.All");
        return options;
    }

    private static OAuth2ProviderOptions GoogleOptions()
    {
        var options = new OAuth2ProviderOptions
        {
            Provider = OAuth2Provider.Google,
            ClientId = GoogleClientId,
            ClientSecret = "EXAMPLE",
            Prompt = "consent",
        };
        options.Scopes.Add("https://mail.google.com/");
        return options;
    }

    [Fact]
    public void MicrosoftAuthorizeUrl()
    {
        OAuth2ProviderOptions options = MicrosoftOptions();
        OAuth2Endpoints endpoints = OAuth2Endpoints.ForPreset(options.Provider, options.Tenant)!;

        Uri uri = AuthorizationRequest.Build(
            options, endpoints.AuthorizationEndpoint!, new Uri("http://127.0.0.1:53682/"), "STATE",
            Pkce.FromVerifier(Verifier), nonce: null);

        Assert.Equal(
            "https://login.microsoftonline.com/common/oauth2/v2.0/authorize" +
            "?client_id=00000000-0000-0000-0000-000000000001&response_type=code" +
            "&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2F" +
            "&scope=https%3A%2F%2Foutlook.office.com%2FIMAP.AccessAsUser.All%20offline_access" +
            "&state=STATE&code_challenge=" + Challenge + "&code_challenge_method=S256" +
            "&login_hint=alice%40example.com",
            uri.AbsoluteUri);
    }

    [Fact]
    public void GoogleAuthorizeUrlKeepsPkceAndOffline()
    {
        OAuth2ProviderOptions options = GoogleOptions();
        OAuth2Endpoints endpoints = OAuth2Endpoints.ForPreset(options.Provider, options.Tenant)!;

        Uri uri = AuthorizationRequest.Build(
            options, endpoints.AuthorizationEndpoint!, new Uri("http://127.0.0.1:8080/"), "STATE",
            Pkce.FromVerifier(Verifier), nonce: "NONCE");

        Assert.Equal(
            "https://accounts.google.com/o/oauth2/v2/auth" +
            "?client_id=1234-example.apps.googleusercontent.com&response_type=code" +
            "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F&scope=https%3A%2F%2Fmail.google.com%2F" +
            "&state=STATE&code_challenge=" + Challenge + "&code_challenge_method=S256" +
            "&nonce=NONCE&prompt=consent&access_type=offline",
            uri.AbsoluteUri);
    }

    [Fact]
    public void GoogleWithoutRefreshTokenAsksConsent()
    {
        OAuth2ProviderOptions options = GoogleOptions();
        options.Prompt = null;

        Uri uri = AuthorizationRequest.Build(
            options, new Uri("https://accounts.google.com/o/oauth2/v2/auth"), new Uri("http://127.0.0.1:8080/"), "S",
            pkce: null, nonce: null, hasRefreshToken: false);

        Assert.EndsWith("&state=S&prompt=consent&access_type=offline", uri.AbsoluteUri);
    }

    [Fact]
    public void GoogleWithRefreshTokenNoPrompt()
    {
        OAuth2ProviderOptions options = GoogleOptions();
        options.Prompt = null;

        Uri uri = AuthorizationRequest.Build(
            options, new Uri("https://accounts.google.com/o/oauth2/v2/auth"), new Uri("http://127.0.0.1:8080/"), "S",
            pkce: null, nonce: null, hasRefreshToken: true);

        Assert.EndsWith("&state=S&access_type=offline", uri.AbsoluteUri);
    }

    [Fact]
    public void PlainPkceSendsVerifier()
    {
        OAuth2ProviderOptions options = GoogleOptions();

        Uri uri = AuthorizationRequest.Build(
            options, new Uri("https://auth.example.com/authorize?tenant=x"), new Uri("http://127.0.0.1:8080/"), "S",
            Pkce.FromVerifier(Verifier, PkceMethod.Plain), nonce: null);

        Assert.Equal(
            "https://auth.example.com/authorize?tenant=x&client_id=1234-example.apps.googleusercontent.com" +
            "&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F&scope=https%3A%2F%2Fmail.google.com%2F" +
            "&state=S&code_challenge=" + Verifier + "&code_challenge_method=plain&prompt=consent&access_type=offline",
            uri.AbsoluteUri);
    }

    [Fact]
    public void MicrosoftTenantEndpoints()
    {
        OAuth2Endpoints endpoints = OAuth2Endpoints.ForPreset(OAuth2Provider.Microsoft, "contoso.onmicrosoft.com")!;

        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize",
            endpoints.AuthorizationEndpoint!.AbsoluteUri);
        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
            endpoints.TokenEndpoint.AbsoluteUri);
        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode",
            endpoints.DeviceAuthorizationEndpoint!.AbsoluteUri);
        Assert.Null(endpoints.Issuer);
    }

    [Fact]
    public void MicrosoftTenantIdIssuer()
    {
        OAuth2Endpoints endpoints = OAuth2Endpoints.ForPreset(OAuth2Provider.Microsoft, "72F988BF-86F1-41AF-91AB-2D7CD011DB47")!;

        Assert.Equal("https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0", endpoints.Issuer);
    }

    [Fact]
    public void MicrosoftCommonHasNoIssuer()
    {
        OAuth2Endpoints endpoints = OAuth2Endpoints.ForPreset(OAuth2Provider.Microsoft, "common")!;

        Assert.Null(endpoints.Issuer);
    }

    [Fact]
    public void MicrosoftCodeRedemptionForm()
    {
        OAuth2ProviderOptions options = MicrosoftOptions();
        var tokenEndpoint = new Uri("https://login.microsoftonline.com/common/oauth2/v2.0/token");

        TokenRequest request = TokenRequests.AuthorizationCode(
            options, tokenEndpoint, "0.AEXAMPLECODE", new Uri("http://127.0.0.1:53682/"), Pkce.FromVerifier(Verifier), s_now);

        Assert.Equal(
            "grant_type=authorization_code&code=0.AEXAMPLECODE&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2F" +
            "&code_verifier=" + Verifier + "&client_id=00000000-0000-0000-0000-000000000001",
            request.Body);
        Assert.Null(request.BasicCredentials);
    }

    [Fact]
    public void GoogleCodeRedemptionForm()
    {
        OAuth2ProviderOptions options = GoogleOptions();

        TokenRequest request = TokenRequests.AuthorizationCode(
            options, new Uri("https://oauth2.googleapis.com/token"), "4/0AEXAMPLE", new Uri("http://127.0.0.1:8080/"),
            Pkce.FromVerifier(Verifier), s_now);

        Assert.Equal(
            "grant_type=authorization_code&code=4%2F0AEXAMPLE&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F" +
            "&code_verifier=" + Verifier + "&client_id=1234-example.apps.googleusercontent.com&client_secret=EXAMPLE",
            request.Body);
    }

    [Fact]
    public void MicrosoftRefreshSendsScope()
    {
        OAuth2ProviderOptions options = MicrosoftOptions();

        TokenRequest request = TokenRequests.Refresh(
            options, new Uri("https://login.microsoftonline.com/common/oauth2/v2.0/token"), "0.AEXAMPLE", s_now);

        Assert.Equal(
            "grant_type=refresh_token&refresh_token=0.AEXAMPLE&client_id=00000000-0000-0000-0000-000000000001" +
            "&scope=https%3A%2F%2Foutlook.office.com%2FIMAP.AccessAsUser.All+offline_access",
            request.Body);
    }

    [Fact]
    public void GoogleRefreshOmitsScope()
    {
        OAuth2ProviderOptions options = GoogleOptions();

        TokenRequest request = TokenRequests.Refresh(
            options, new Uri("https://oauth2.googleapis.com/token"), "1//0EXAMPLE", s_now);

        Assert.Equal(
            "grant_type=refresh_token&refresh_token=1%2F%2F0EXAMPLE" +
            "&client_id=1234-example.apps.googleusercontent.com&client_secret=EXAMPLE",
            request.Body);
    }

    [Fact]
    public void ClientCredentialsWithSecretPost()
    {
        var options = new OAuth2ProviderOptions
        {
            Provider = OAuth2Provider.Microsoft,
            Permission = OAuth2PermissionMode.Service,
            Tenant = "contoso.onmicrosoft.com",
            ClientId = MicrosoftClientId,
            ClientSecret = "s3cr&t",
        };
        options.Scopes.Add("https://outlook.office365.com/.default");

        TokenRequest request = TokenRequests.ClientCredentials(
            options, new Uri("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"), s_now);

        Assert.Equal(
            "grant_type=client_credentials&scope=https%3A%2F%2Foutlook.office365.com%2F.default" +
            "&client_id=00000000-0000-0000-0000-000000000001&client_secret=s3cr%26t",
            request.Body);
    }

    [Fact]
    public void SecretBasicEncodesBeforeBase64()
    {
        var options = new OAuth2ProviderOptions
        {
            Permission = OAuth2PermissionMode.Service,
            ClientId = "client:id",
            ClientSecret = "p@ss word+",
            ClientAuthentication = ClientAuthenticationMethod.ClientSecretBasic,
            TokenEndpoint = new Uri("https://auth.example.com/token"),
        };

        TokenRequest request = TokenRequests.ClientCredentials(options, options.TokenEndpoint, s_now);

        Assert.Equal(
            Convert.ToBase64String(Encoding.ASCII.GetBytes("client%3Aid:p%40ss+word%2B")), request.BasicCredentials);
        Assert.Equal("grant_type=client_credentials", request.Body);
    }

    [Fact]
    public void TokenRequestAcceptsJson()
    {
        var request = new TokenRequest(new Uri("https://auth.example.com/token"), "refresh_token") { BasicCredentials = "eA==" };
        request.Add("grant_type", "refresh_token");

        using HttpRequestMessage message = request.ToHttpRequestMessage();

        Assert.Equal("application/json", message.Headers.Accept.ToString());
        Assert.Equal("application/x-www-form-urlencoded", message.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("Basic eA==", message.Headers.Authorization!.ToString());
    }

    [Fact]
    public void ControlCharactersArePercentEncoded()
    {
        string body = FormUrlEncoding.Encode([new("login_hint", "a\r\nb\0")]);

        Assert.Equal("login_hint=a%0D%0Ab%00", body);
    }

    [Theory]
    [InlineData("http://127.0.0.1:19000/token")]
    [InlineData("http://[::1]:19000/token")]
    [InlineData("http://localhost:19000/token")]
    [InlineData("http://127.0.0.2/token")]
    [InlineData("https://auth.example.com/token")]
    public void SecureOrLoopbackEndpointAccepted(string endpoint)
    {
        OAuth2Endpoints.RequireSecure(new Uri(endpoint), "token endpoint");
    }

    [Theory]
    [InlineData("http://auth.example.com/token")]
    [InlineData("http://10.0.0.1/token")]
    [InlineData("http://localhost.example.com/token")]
    [InlineData("ftp://127.0.0.1/token")]
    public void PlainHttpEndpointRejected(string endpoint)
    {
        var exception = Assert.Throws<OAuth2Exception>(() => OAuth2Endpoints.RequireSecure(new Uri(endpoint), "token endpoint"));

        Assert.Equal(OAuth2ErrorReason.InvalidConfiguration, exception.Reason);
    }

    [Fact]
    public void HttpIssuerRejectedByClient()
    {
        var options = new OAuth2ProviderOptions { ClientId = "c", Issuer = new Uri("http://auth.example.com") };

        var exception = Assert.Throws<OAuth2Exception>(() => new OAuth2Client(options));

        Assert.Equal(OAuth2ErrorReason.InvalidConfiguration, exception.Reason);
    }
}
