using System.Net;

namespace RawMail.OAuth2.Tests;

public sealed class RefreshTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 2, 3, 0, 0, TimeSpan.Zero);
    private const string TokenEndpoint = "https://login.microsoftonline.com/common/oauth2/v2.0/token";

    private static OAuth2ProviderOptions Options(
        ScriptedHttpHandler handler, ManualTimeProvider clock, OAuth2Token? token)
    {
        var options = new OAuth2ProviderOptions
        {
            Provider = OAuth2Provider.Microsoft,
            ClientId = "00000000-0000-0000-0000-000000000001",
            Token = token,
            AllowInteractive = false,
            HttpClient = new HttpClient(handler),
            TimeProvider = clock,
        };
        options.Scopes.Add("https://outlook.office.com/IMAP.AccessAsUser.All");
        return options;
    }

    private static OAuth2Client CreateClient(ScriptedHttpHandler handler, OAuth2Token? token) =>
        new(Options(handler, new ManualTimeProvider(s_now), token));

    private static OAuth2Token TokenExpiringIn(TimeSpan lifetime, string? refreshToken = "R1") => new()
    {
        AccessToken = "A1",
        RefreshToken = refreshToken,
        ExpiresAt = s_now + lifetime,
        Scopes = ["https://outlook.office.com/IMAP.AccessAsUser.All"],
    };

    [Fact]
    public async Task ValidTokenReturnedWithoutRequest()
    {
        var handler = new ScriptedHttpHandler();
        using var client = CreateClient(handler, TokenExpiringIn(TimeSpan.FromMinutes(6)));

        OAuth2Token token = await client.GetTokenAsync(CancellationToken.None);

        Assert.Equal("A1", token.AccessToken);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task RefreshWithinSkewKeepsRefreshToken()
    {
        var handler = new ScriptedHttpHandler().Respond(
            HttpStatusCode.OK, "{\"access_token\":\"A2\",\"token_type\":\"Bearer\",\"expires_in\":\"3599\"}");
        using var client = CreateClient(handler, TokenExpiringIn(TimeSpan.FromMinutes(4)));

        OAuth2Token token = await client.GetTokenAsync(CancellationToken.None);

        Assert.Equal("A2", token.AccessToken);
        Assert.Equal("R1", token.RefreshToken);
        Assert.Equal(s_now.AddSeconds(3599), token.ExpiresAt);
        Assert.Equal(TokenEndpoint, handler.Requests[0].Uri.AbsoluteUri);
        Assert.Equal(
            "grant_type=refresh_token&refresh_token=R1&client_id=00000000-0000-0000-0000-000000000001" +
            "&scope=https%3A%2F%2Foutlook.office.com%2FIMAP.AccessAsUser.All+offline_access",
            handler.Requests[0].Body);
    }

    [Fact]
    public async Task RefreshReplacesRotatedRefreshToken()
    {
        var handler = new ScriptedHttpHandler().Respond(
            HttpStatusCode.OK, "{\"access_token\":\"A2\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"refresh_token\":\"R2\"}");
        using var client = CreateClient(handler, TokenExpiringIn(TimeSpan.Zero));

        OAuth2Token token = await client.GetTokenAsync(CancellationToken.None);

        Assert.Equal("R2", token.RefreshToken);
    }

    [Fact]
    public async Task ClockAdvanceTriggersRefresh()
    {
        var clock = new ManualTimeProvider(s_now);
        var handler = new ScriptedHttpHandler().Respond(
            HttpStatusCode.OK, "{\"access_token\":\"A2\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
        using var client = new OAuth2Client(Options(handler, clock, TokenExpiringIn(TimeSpan.FromMinutes(10))));

        OAuth2Token first = await client.GetTokenAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(5));
        OAuth2Token second = await client.GetTokenAsync(CancellationToken.None);

        Assert.Equal("A1", first.AccessToken);
        Assert.Equal("A2", second.AccessToken);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task InvalidGrantNeedsInteraction()
    {
        var handler = new ScriptedHttpHandler().Respond(
            HttpStatusCode.BadRequest, "{\"error\":\"invalid_grant\",\"error_description\":\"Bad Request\"}");
        using var client = CreateClient(handler, TokenExpiringIn(-TimeSpan.FromHours(1)));

        OAuth2InteractionRequiredException exception = await Assert.ThrowsAsync<OAuth2InteractionRequiredException>(
            () => client.GetTokenAsync(CancellationToken.None));

        Assert.Equal(OAuth2ErrorReason.InteractionRequired, exception.Reason);
        Assert.Equal(OAuth2ErrorReason.InvalidGrant, ((OAuth2Exception)exception.InnerException!).Reason);
        Assert.Equal("invalid_grant", exception.Error);
        Assert.Equal("Bad Request", exception.ErrorDescription);
        Assert.Equal(HttpStatusCode.BadRequest, exception.StatusCode);
        Assert.Null(client.Token!.RefreshToken);
    }

    [Fact]
    public async Task DroppedRefreshTokenNotRetried()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.BadRequest, "{\"error\":\"invalid_grant\"}");
        using var client = CreateClient(handler, TokenExpiringIn(TimeSpan.Zero));
        await Assert.ThrowsAsync<OAuth2InteractionRequiredException>(() => client.GetTokenAsync(CancellationToken.None));

        await Assert.ThrowsAsync<OAuth2InteractionRequiredException>(() => client.GetTokenAsync(CancellationToken.None));

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task NoTokenNeedsInteraction()
    {
        var handler = new ScriptedHttpHandler();
        using var client = CreateClient(handler, token: null);

        await Assert.ThrowsAsync<OAuth2InteractionRequiredException>(() => client.GetTokenAsync(CancellationToken.None));

        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task ExpiredWithoutRefreshTokenNeedsInteraction()
    {
        var handler = new ScriptedHttpHandler();
        using var client = new OAuth2Client(
            Options(handler, new ManualTimeProvider(s_now), TokenExpiringIn(TimeSpan.Zero, refreshToken: null)));

        await Assert.ThrowsAsync<OAuth2InteractionRequiredException>(() => client.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ServerErrorOnRefreshIsNotInteraction()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.InternalServerError, "oops", "text/plain");
        using var client = CreateClient(handler, TokenExpiringIn(TimeSpan.Zero));

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.GetTokenAsync(CancellationToken.None));

        Assert.Equal(OAuth2ErrorReason.ServerError, exception.Reason);
        Assert.Equal("R1", client.Token!.RefreshToken);
    }

    [Fact]
    public async Task InvalidateForcesRefresh()
    {
        var handler = new ScriptedHttpHandler().Respond(
            HttpStatusCode.OK, "{\"access_token\":\"A2\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
        using var client = CreateClient(handler, TokenExpiringIn(TimeSpan.FromHours(1)));

        client.InvalidateAccessToken();
        OAuth2Token token = await client.GetTokenAsync(CancellationToken.None);

        Assert.Equal("A2", token.AccessToken);
    }

    [Fact]
    public async Task RefreshedTokenStored()
    {
        string path = Path.Combine(Path.GetTempPath(), "rawmail-refresh-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var store = new FileTokenStore(path);
            await store.SaveAsync(TokenExpiringIn(TimeSpan.Zero), CancellationToken.None);
            var handler = new ScriptedHttpHandler().Respond(
                HttpStatusCode.OK, "{\"access_token\":\"A2\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
            OAuth2ProviderOptions options = Options(handler, new ManualTimeProvider(s_now), token: null);
            options.TokenStore = store;
            using var client = new OAuth2Client(options);

            await client.GetTokenAsync(CancellationToken.None);
            OAuth2Token? stored = await store.LoadAsync(CancellationToken.None);

            Assert.Equal("A2", stored!.AccessToken);
            Assert.Equal("R1", stored.RefreshToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task RequestTimeout()
    {
        var handler = new ScriptedHttpHandler().Respond(_ => throw new TaskCanceledException("timed out"));
        using var client = CreateClient(handler, TokenExpiringIn(TimeSpan.Zero));

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.GetTokenAsync(CancellationToken.None));

        Assert.Equal(OAuth2ErrorReason.Timeout, exception.Reason);
    }

    [Fact]
    public async Task NetworkFailure()
    {
        var handler = new ScriptedHttpHandler().Respond(_ => throw new HttpRequestException("connection refused"));
        using var client = CreateClient(handler, TokenExpiringIn(TimeSpan.Zero));

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.GetTokenAsync(CancellationToken.None));

        Assert.Equal(OAuth2ErrorReason.NetworkFailure, exception.Reason);
    }

    [Fact]
    public async Task CallerCancellation()
    {
        using var cancellation = new CancellationTokenSource();
        var handler = new ScriptedHttpHandler().Respond(_ =>
        {
            cancellation.Cancel();
            throw new TaskCanceledException("canceled");
        });
        using var client = CreateClient(handler, TokenExpiringIn(TimeSpan.Zero));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetTokenAsync(cancellation.Token));
    }

    [Fact]
    public async Task AccessTokenProviderReturnsToken()
    {
        var handler = new ScriptedHttpHandler();
        using var client = CreateClient(handler, TokenExpiringIn(TimeSpan.FromHours(1)));
        var provider = new OAuth2AccessTokenProvider(client);

        string accessToken = await provider.GetAccessTokenAsync(CancellationToken.None);

        Assert.Equal("A1", accessToken);
    }

    [Fact]
    public async Task ClientCredentialsForService()
    {
        var handler = new ScriptedHttpHandler().Respond(
            HttpStatusCode.OK, "{\"access_token\":\"APP\",\"token_type\":\"Bearer\",\"expires_in\":3599}");
        var options = new OAuth2ProviderOptions
        {
            Provider = OAuth2Provider.Microsoft,
            Permission = OAuth2PermissionMode.Service,
            Tenant = "contoso.onmicrosoft.com",
            ClientId = "C",
            ClientSecret = "S",
            HttpClient = new HttpClient(handler),
            TimeProvider = new ManualTimeProvider(s_now),
            AllowInteractive = false,
        };
        options.Scopes.Add("https://outlook.office365.com/.default");
        using var client = new OAuth2Client(options);

        OAuth2Token token = await client.GetTokenAsync(CancellationToken.None);

        Assert.Equal("APP", token.AccessToken);
        Assert.Equal(["https://outlook.office365.com/.default"], token.Scopes);
        Assert.Equal(
            "grant_type=client_credentials&scope=https%3A%2F%2Foutlook.office365.com%2F.default&client_id=C&client_secret=S",
            handler.Requests[0].Body);
        Assert.Equal("application/json", handler.Requests[0].Accept);
    }

    [Fact]
    public async Task RefreshedIdTokenIsValidated()
    {
        using var tokens = new TestIdTokens();
        string idToken = tokens.Create("https://auth.example.com", "C", null, s_now, TimeSpan.FromHours(1));

        OAuth2Token token = await RefreshWithIdTokenAsync(tokens, UnsignedIdToken("user-1"), idToken);

        Assert.Equal("A2", token.AccessToken);
        Assert.Equal(idToken, token.IdToken);
    }

    [Fact]
    public async Task RefreshedIdTokenWrongKeyRejected()
    {
        using var tokens = new TestIdTokens();
        using var otherKey = System.Security.Cryptography.RSA.Create(2048);
        string forged = tokens.Create("https://auth.example.com", "C", null, s_now, TimeSpan.FromHours(1), otherKey);

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(
            () => RefreshWithIdTokenAsync(tokens, UnsignedIdToken("user-1"), forged));

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, exception.Reason);
    }

    // OpenID Connect Core 1.0 section 12.2: the refreshed id token names the same subject.
    [Fact]
    public async Task RefreshedIdTokenOtherSubjectRejected()
    {
        using var tokens = new TestIdTokens();
        string idToken = tokens.Create("https://auth.example.com", "C", null, s_now, TimeSpan.FromHours(1));

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(
            () => RefreshWithIdTokenAsync(tokens, UnsignedIdToken("user-2"), idToken));

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, exception.Reason);
    }

    // Discovery supplies the JWKS location; the refresh response carries a new id token.
    private static async Task<OAuth2Token> RefreshWithIdTokenAsync(
        TestIdTokens tokens, string currentIdToken, string refreshedIdToken)
    {
        const string discovery =
            "{\"issuer\":\"https://auth.example.com\",\"token_endpoint\":\"https://auth.example.com/token\"," +
            "\"jwks_uri\":\"https://auth.example.com/jwks\"}";
        var handler = new ScriptedHttpHandler()
            .Respond(HttpStatusCode.OK, discovery)
            .Respond(HttpStatusCode.OK,
                $"{{\"access_token\":\"A2\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"id_token\":\"{refreshedIdToken}\"}}")
            .Respond(HttpStatusCode.OK, tokens.Jwks);
        var options = new OAuth2ProviderOptions
        {
            ClientId = "C",
            Issuer = new Uri("https://auth.example.com"),
            AllowInteractive = false,
            HttpClient = new HttpClient(handler),
            TimeProvider = new ManualTimeProvider(s_now),
            Token = new OAuth2Token
            {
                AccessToken = "A1",
                RefreshToken = "R1",
                ExpiresAt = s_now - TimeSpan.FromMinutes(1),
                IdToken = currentIdToken,
            },
        };
        options.Scopes.Add("openid");
        using var client = new OAuth2Client(options);
        return await client.GetTokenAsync(CancellationToken.None);
    }

    // Only the subject of the id token being replaced is read, so its signature does not matter here.
    private static string UnsignedIdToken(string subject)
    {
        string header = System.Buffers.Text.Base64Url.EncodeToString("{\"alg\":\"none\"}"u8);
        string payload = System.Buffers.Text.Base64Url.EncodeToString(
            System.Text.Encoding.UTF8.GetBytes($"{{\"sub\":\"{subject}\"}}"));
        return header + "." + payload + ".";
    }
}
