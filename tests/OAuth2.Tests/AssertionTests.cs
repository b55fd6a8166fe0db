using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace RawMail.OAuth2.Tests;

public sealed class AssertionTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 2, 3, 0, 0, TimeSpan.Zero);
    private static readonly Uri s_tokenEndpoint = new("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");

    private static OAuth2ProviderOptions CertificateOptions(ClientAssertionAlgorithm algorithm = ClientAssertionAlgorithm.PS256) => new()
    {
        Provider = OAuth2Provider.Microsoft,
        Permission = OAuth2PermissionMode.Service,
        ClientId = "00000000-0000-0000-0000-000000000001",
        ClientCertificate = TestKeys.Certificate,
        ClientAssertionAlgorithm = algorithm,
    };

    [Fact]
    public void ClientAssertionHeader()
    {
        string jwt = JwtAssertions.CreateClientAssertion(CertificateOptions(), s_tokenEndpoint, s_now);
        JsonElement header = TestKeys.DecodeHeader(jwt);
        string thumbprint = Base64Url.EncodeToString(SHA256.HashData(TestKeys.Certificate.RawData));

        Assert.Equal("PS256", header.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.GetProperty("typ").GetString());
        Assert.Equal(thumbprint, header.GetProperty("x5t#S256").GetString());
        Assert.Equal(thumbprint, header.GetProperty("kid").GetString());
    }

    [Fact]
    public void ClientAssertionClaims()
    {
        string jwt = JwtAssertions.CreateClientAssertion(CertificateOptions(), s_tokenEndpoint, s_now);
        JsonElement payload = TestKeys.DecodePayload(jwt);

        Assert.Equal(s_tokenEndpoint.AbsoluteUri, payload.GetProperty("aud").GetString());
        Assert.Equal("00000000-0000-0000-0000-000000000001", payload.GetProperty("iss").GetString());
        Assert.Equal("00000000-0000-0000-0000-000000000001", payload.GetProperty("sub").GetString());
        Assert.Equal(s_now.ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
        Assert.Equal(s_now.ToUnixTimeSeconds(), payload.GetProperty("nbf").GetInt64());
        Assert.Equal(s_now.ToUnixTimeSeconds() + 300, payload.GetProperty("exp").GetInt64());
        Assert.Equal(43, payload.GetProperty("jti").GetString()!.Length);
    }

    [Fact]
    public void ClientAssertionJtiUnique()
    {
        string first = JwtAssertions.CreateClientAssertion(CertificateOptions(), s_tokenEndpoint, s_now);
        string second = JwtAssertions.CreateClientAssertion(CertificateOptions(), s_tokenEndpoint, s_now);

        Assert.NotEqual(
            TestKeys.DecodePayload(first).GetProperty("jti").GetString(),
            TestKeys.DecodePayload(second).GetProperty("jti").GetString());
    }

    [Theory]
    [InlineData(ClientAssertionAlgorithm.PS256)]
    [InlineData(ClientAssertionAlgorithm.RS256)]
    public void ClientAssertionSignatureVerifies(ClientAssertionAlgorithm algorithm)
    {
        string jwt = JwtAssertions.CreateClientAssertion(CertificateOptions(algorithm), s_tokenEndpoint, s_now);
        using RSA publicKey = TestKeys.Certificate.GetRSAPublicKey()!;
        RSASignaturePadding padding = algorithm == ClientAssertionAlgorithm.PS256 ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;

        bool valid = publicKey.VerifyData(TestKeys.SigningInput(jwt), TestKeys.Signature(jwt), HashAlgorithmName.SHA256, padding);

        Assert.True(valid);
        Assert.Equal(algorithm.ToString(), TestKeys.DecodeHeader(jwt).GetProperty("alg").GetString());
    }

    [Fact]
    public async Task PrivateKeyJwtForm()
    {
        var handler = new ScriptedHttpHandler().Respond(
            HttpStatusCode.OK, "{\"access_token\":\"APP\",\"token_type\":\"Bearer\",\"expires_in\":3599}");
        OAuth2ProviderOptions options = CertificateOptions();
        options.Tenant = "contoso.onmicrosoft.com";
        options.Scopes.Add("https://outlook.office365.com/.default");
        options.HttpClient = new HttpClient(handler);
        options.TimeProvider = new ManualTimeProvider(s_now);
        using var client = new OAuth2Client(options);

        await client.GetTokenAsync(CancellationToken.None);
        Dictionary<string, string> form = FormUrlEncoding.Decode(handler.Requests[0].Body).ToDictionary();

        Assert.Equal(["grant_type", "scope", "client_id", "client_assertion_type", "client_assertion"], form.Keys);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form["client_assertion_type"]);
        Assert.Equal(s_tokenEndpoint.AbsoluteUri, TestKeys.DecodePayload(form["client_assertion"]).GetProperty("aud").GetString());
    }

    private static OAuth2ProviderOptions ServiceAccountOptions(RSA key, string? subject)
    {
        var options = new OAuth2ProviderOptions
        {
            Provider = OAuth2Provider.Google,
            Permission = OAuth2PermissionMode.Service,
            ServiceAccountEmail = "mailer@project.iam.gserviceaccount.com",
            ServiceAccountPrivateKeyPem = key.ExportPkcs8PrivateKeyPem(),
            ServiceAccountKeyId = "0123456789abcdef",
            ServiceAccountSubject = subject,
        };
        options.Scopes.Add("https://mail.google.com/");
        return options;
    }

    [Fact]
    public void ServiceAccountAssertion()
    {
        using RSA key = RSA.Create(2048);
        OAuth2ProviderOptions options = ServiceAccountOptions(key, "alice@example.com");

        string jwt = JwtAssertions.CreateServiceAccountAssertion(options, new Uri("https://oauth2.googleapis.com/token"), s_now);
        JsonElement header = TestKeys.DecodeHeader(jwt);
        JsonElement payload = TestKeys.DecodePayload(jwt);

        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.Equal("0123456789abcdef", header.GetProperty("kid").GetString());
        Assert.Equal("mailer@project.iam.gserviceaccount.com", payload.GetProperty("iss").GetString());
        Assert.Equal("https://mail.google.com/", payload.GetProperty("scope").GetString());
        Assert.Equal("https://oauth2.googleapis.com/token", payload.GetProperty("aud").GetString());
        Assert.Equal("alice@example.com", payload.GetProperty("sub").GetString());
        Assert.Equal(s_now.ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
        Assert.Equal(s_now.ToUnixTimeSeconds() + 3600, payload.GetProperty("exp").GetInt64());
        Assert.True(key.VerifyData(TestKeys.SigningInput(jwt), TestKeys.Signature(jwt), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void ServiceAccountWithoutSubject()
    {
        using RSA key = RSA.Create(2048);

        string jwt = JwtAssertions.CreateServiceAccountAssertion(
            ServiceAccountOptions(key, subject: null), new Uri("https://oauth2.googleapis.com/token"), s_now);

        Assert.False(TestKeys.DecodePayload(jwt).TryGetProperty("sub", out _));
    }

    [Fact]
    public async Task JwtBearerForm()
    {
        using RSA key = RSA.Create(2048);
        var handler = new ScriptedHttpHandler().Respond(
            HttpStatusCode.OK, "{\"access_token\":\"ya29.SA\",\"token_type\":\"Bearer\",\"expires_in\":3599}");
        OAuth2ProviderOptions options = ServiceAccountOptions(key, null);
        options.HttpClient = new HttpClient(handler);
        options.TimeProvider = new ManualTimeProvider(s_now);
        using var client = new OAuth2Client(options);

        OAuth2Token token = await client.GetTokenAsync(CancellationToken.None);
        string body = handler.Requests[0].Body;

        Assert.Equal("ya29.SA", token.AccessToken);
        Assert.Equal("https://oauth2.googleapis.com/token", handler.Requests[0].Uri.AbsoluteUri);
        Assert.StartsWith("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=ey", body);
    }

    [Fact]
    public void InvalidPemRejected()
    {
        var options = new OAuth2ProviderOptions
        {
            ServiceAccountEmail = "a@b",
            ServiceAccountPrivateKeyPem = "not a key",
        };

        OAuth2Exception exception = Assert.Throws<OAuth2Exception>(() =>
            JwtAssertions.CreateServiceAccountAssertion(options, new Uri("https://oauth2.googleapis.com/token"), s_now));

        Assert.Equal(OAuth2ErrorReason.InvalidConfiguration, exception.Reason);
    }
}
