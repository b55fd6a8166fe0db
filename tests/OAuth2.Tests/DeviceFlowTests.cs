using System.Net;

namespace RawMail.OAuth2.Tests;

public sealed class DeviceFlowTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 2, 3, 0, 0, TimeSpan.Zero);

    private const string DeviceResponse =
        "{\"device_code\":\"DEVICE\",\"user_code\":\"WDJB-MJHT\",\"verification_uri\":\"https://example.com/device\"," +
        "\"verification_uri_complete\":\"https://example.com/device?user_code=WDJB-MJHT\",\"expires_in\":900,\"interval\":5}";

    private static (OAuth2Client Client, List<DeviceAuthorization> Displayed) CreateClient(
        ScriptedHttpHandler handler, ManualTimeProvider clock)
    {
        var displayed = new List<DeviceAuthorization>();
        var options = new OAuth2ProviderOptions
        {
            ClientId = "C",
            InteractiveFlow = OAuth2InteractiveFlow.DeviceCode,
            TokenEndpoint = new Uri("https://auth.example.com/token"),
            DeviceAuthorizationEndpoint = new Uri("https://auth.example.com/device"),
            HttpClient = new HttpClient(handler),
            TimeProvider = clock,
            DeviceCodeCallback = (authorization, _) =>
            {
                displayed.Add(authorization);
                return Task.CompletedTask;
            },
        };
        options.Scopes.Add("openid-less");
        return (new OAuth2Client(options), displayed);
    }

    [Fact]
    public async Task PendingSlowDownThenSuccess()
    {
        var clock = new ManualTimeProvider(s_now);
        var handler = new ScriptedHttpHandler()
            .Respond(HttpStatusCode.OK, DeviceResponse)
            .Respond(HttpStatusCode.BadRequest, "{\"error\":\"authorization_pending\"}")
            .Respond(HttpStatusCode.BadRequest, "{\"error\":\"slow_down\"}")
            .Respond(HttpStatusCode.BadRequest, "{\"error\":\"authorization_pending\"}")
            .Respond(HttpStatusCode.OK, "{\"access_token\":\"DEV\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
        (OAuth2Client client, List<DeviceAuthorization> displayed) = CreateClient(handler, clock);
        using (client)
        {
            OAuth2Token token = await client.GetTokenAsync(CancellationToken.None);

            Assert.Equal("DEV", token.AccessToken);
            Assert.Equal("WDJB-MJHT", displayed[0].UserCode);
            Assert.Equal("https://example.com/device", displayed[0].VerificationUri.AbsoluteUri);
            Assert.Equal("https://example.com/device?user_code=WDJB-MJHT", displayed[0].VerificationUriComplete!.AbsoluteUri);
            Assert.Equal(s_now.AddSeconds(900), displayed[0].ExpiresAt);
            Assert.Equal(
                [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)],
                clock.Delays);
            Assert.Equal("scope=openid-less&client_id=C", handler.Requests[0].Body);
            Assert.Equal(
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=DEVICE&client_id=C",
                handler.Requests[1].Body);
            Assert.Equal(5, handler.Requests.Count);
        }
    }

    [Fact]
    public async Task ServerErrorBacksOff()
    {
        var clock = new ManualTimeProvider(s_now);
        var handler = new ScriptedHttpHandler()
            .Respond(HttpStatusCode.OK, DeviceResponse)
            .Respond(HttpStatusCode.ServiceUnavailable, "<html>busy</html>", "text/html")
            .Respond(_ => throw new HttpRequestException("connection reset"))
            .Respond(HttpStatusCode.OK, "{\"access_token\":\"DEV\",\"token_type\":\"Bearer\"}");
        (OAuth2Client client, _) = CreateClient(handler, clock);
        using (client)
        {
            OAuth2Token token = await client.GetTokenAsync(CancellationToken.None);

            Assert.Equal("DEV", token.AccessToken);
            Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)], clock.Delays);
        }
    }

    [Fact]
    public async Task ExpiredTokenError()
    {
        var handler = new ScriptedHttpHandler()
            .Respond(HttpStatusCode.OK, DeviceResponse)
            .Respond(HttpStatusCode.BadRequest, "{\"error\":\"expired_token\"}");
        (OAuth2Client client, _) = CreateClient(handler, new ManualTimeProvider(s_now));
        using (client)
        {
            OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.GetTokenAsync(CancellationToken.None));

            Assert.Equal(OAuth2ErrorReason.ExpiredToken, exception.Reason);
            Assert.Equal("expired_token", exception.Error);
        }
    }

    [Fact]
    public async Task ExpiresInStopsPolling()
    {
        var clock = new ManualTimeProvider(s_now);
        var handler = new ScriptedHttpHandler()
            .Respond(HttpStatusCode.OK,
                "{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_url\":\"https://www.google.com/device\",\"expires_in\":\"12\"}")
            .Respond(HttpStatusCode.BadRequest, "{\"error\":\"authorization_pending\"}")
            .Respond(HttpStatusCode.BadRequest, "{\"error\":\"authorization_pending\"}");
        (OAuth2Client client, _) = CreateClient(handler, clock);
        using (client)
        {
            OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.GetTokenAsync(CancellationToken.None));

            Assert.Equal(OAuth2ErrorReason.ExpiredToken, exception.Reason);
            Assert.Equal(3, handler.Requests.Count);
        }
    }

    [Fact]
    public async Task AccessDenied()
    {
        var handler = new ScriptedHttpHandler()
            .Respond(HttpStatusCode.OK, DeviceResponse)
            .Respond(HttpStatusCode.BadRequest, "{\"error\":\"access_denied\"}");
        (OAuth2Client client, _) = CreateClient(handler, new ManualTimeProvider(s_now));
        using (client)
        {
            OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.GetTokenAsync(CancellationToken.None));

            Assert.Equal(OAuth2ErrorReason.AccessDenied, exception.Reason);
        }
    }

    [Fact]
    public async Task MicrosoftDeclinedIsAccessDenied()
    {
        var handler = new ScriptedHttpHandler()
            .Respond(HttpStatusCode.OK, DeviceResponse)
            .Respond(HttpStatusCode.BadRequest, "{\"error\":\"authorization_declined\",\"error_codes\":[70000]}");
        (OAuth2Client client, _) = CreateClient(handler, new ManualTimeProvider(s_now));
        using (client)
        {
            OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.GetTokenAsync(CancellationToken.None));

            Assert.Equal(OAuth2ErrorReason.AccessDenied, exception.Reason);
            Assert.Equal([70000L], exception.ErrorCodes);
        }
    }

    [Fact]
    public async Task DeviceResponseMissingUserCode()
    {
        var handler = new ScriptedHttpHandler().Respond(
            HttpStatusCode.OK, "{\"device_code\":\"D\",\"verification_uri\":\"https://example.com/d\",\"expires_in\":900}");
        (OAuth2Client client, _) = CreateClient(handler, new ManualTimeProvider(s_now));
        using (client)
        {
            OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.GetTokenAsync(CancellationToken.None));

            Assert.Equal(OAuth2ErrorReason.MalformedResponse, exception.Reason);
        }
    }

    [Fact]
    public async Task DeviceIdTokenIsValidated()
    {
        using var tokens = new TestIdTokens();
        using var otherKey = System.Security.Cryptography.RSA.Create(2048);
        string forged = tokens.Create("https://auth.example.com", "C", null, s_now, TimeSpan.FromHours(1), otherKey);
        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(
            () => RunDeviceFlowWithIdTokenAsync(tokens, forged));

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, exception.Reason);
    }

    [Fact]
    public async Task DeviceIdTokenNeedsNoNonce()
    {
        using var tokens = new TestIdTokens();
        string idToken = tokens.Create("https://auth.example.com", "C", null, s_now, TimeSpan.FromHours(1));

        OAuth2Token token = await RunDeviceFlowWithIdTokenAsync(tokens, idToken);

        Assert.Equal(idToken, token.IdToken);
    }

    // Discovery supplies the JWKS location; the first poll returns the token with the id token.
    private static async Task<OAuth2Token> RunDeviceFlowWithIdTokenAsync(TestIdTokens tokens, string idToken)
    {
        const string discovery =
            "{\"issuer\":\"https://auth.example.com\",\"token_endpoint\":\"https://auth.example.com/token\"," +
            "\"device_authorization_endpoint\":\"https://auth.example.com/device\"," +
            "\"jwks_uri\":\"https://auth.example.com/jwks\"}";
        var handler = new ScriptedHttpHandler()
            .Respond(HttpStatusCode.OK, discovery)
            .Respond(HttpStatusCode.OK, DeviceResponse)
            .Respond(HttpStatusCode.OK, $"{{\"access_token\":\"DEV\",\"token_type\":\"Bearer\",\"id_token\":\"{idToken}\"}}")
            .Respond(HttpStatusCode.OK, tokens.Jwks);
        var options = new OAuth2ProviderOptions
        {
            ClientId = "C",
            InteractiveFlow = OAuth2InteractiveFlow.DeviceCode,
            Issuer = new Uri("https://auth.example.com"),
            HttpClient = new HttpClient(handler),
            TimeProvider = new ManualTimeProvider(s_now),
            DeviceCodeCallback = (_, _) => Task.CompletedTask,
        };
        options.Scopes.Add("openid");
        using var client = new OAuth2Client(options);
        return await client.GetTokenAsync(CancellationToken.None);
    }
}
