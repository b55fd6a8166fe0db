using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;

namespace RawMail.OAuth2.Tests;

public sealed class IdTokenTests : IDisposable
{
    private const string Issuer = "https://auth.example.test";
    private const string ClientId = "client-1";
    private static readonly DateTimeOffset s_now = new(2026, 1, 2, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_skew = TimeSpan.FromMinutes(5);
    private readonly TestIdTokens _tokens = new();

    public void Dispose() => _tokens.Dispose();

    private Task<JsonWebToken> Validate(string idToken, string? nonce = "N1", DateTimeOffset? now = null) =>
        IdTokenValidator.ValidateAsync(idToken, _tokens.Jwks, Issuer, ClientId, nonce, now ?? s_now, s_skew);

    private static async Task<OAuth2ErrorReason> ReasonOf(Task task) =>
        (await Assert.ThrowsAsync<OAuth2Exception>(() => task)).Reason;

    [Fact]
    public async Task ValidTokenAccepted()
    {
        string idToken = _tokens.Create(Issuer, ClientId, "N1", s_now, TimeSpan.FromHours(1));

        JsonWebToken token = await Validate(idToken);

        Assert.Equal("user-1", token.Subject);
    }

    [Fact]
    public async Task WrongNonce()
    {
        string idToken = _tokens.Create(Issuer, ClientId, "OTHER", s_now, TimeSpan.FromHours(1));

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, await ReasonOf(Validate(idToken)));
    }

    [Fact]
    public async Task MissingNonce()
    {
        string idToken = _tokens.Create(Issuer, ClientId, nonce: null, s_now, TimeSpan.FromHours(1));

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, await ReasonOf(Validate(idToken)));
    }

    [Fact]
    public async Task WrongAudience()
    {
        string idToken = _tokens.Create(Issuer, "someone-else", "N1", s_now, TimeSpan.FromHours(1));

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, await ReasonOf(Validate(idToken)));
    }

    [Fact]
    public async Task WrongIssuer()
    {
        string idToken = _tokens.Create("https://evil.example.test", ClientId, "N1", s_now, TimeSpan.FromHours(1));

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, await ReasonOf(Validate(idToken)));
    }

    [Fact]
    public async Task Expired()
    {
        string idToken = _tokens.Create(Issuer, ClientId, "N1", s_now - TimeSpan.FromHours(2), TimeSpan.FromHours(1));

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, await ReasonOf(Validate(idToken)));
    }

    [Fact]
    public async Task ExpiredWithinSkewAccepted()
    {
        string idToken = _tokens.Create(Issuer, ClientId, "N1", s_now - TimeSpan.FromMinutes(62), TimeSpan.FromHours(1));

        JsonWebToken token = await Validate(idToken);

        Assert.Equal("user-1", token.Subject);
    }

    [Fact]
    public async Task NotYetValid()
    {
        string idToken = _tokens.Create(Issuer, ClientId, "N1", s_now + TimeSpan.FromMinutes(10), TimeSpan.FromHours(1));

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, await ReasonOf(Validate(idToken)));
    }

    [Fact]
    public async Task BadSignature()
    {
        using RSA otherKey = RSA.Create(2048);
        string idToken = _tokens.Create(Issuer, ClientId, "N1", s_now, TimeSpan.FromHours(1), otherKey);

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, await ReasonOf(Validate(idToken)));
    }

    [Fact]
    public async Task UnsignedTokenRejected()
    {
        string signed = _tokens.Create(Issuer, ClientId, "N1", s_now, TimeSpan.FromHours(1));
        string[] parts = signed.Split('.');
        string unsigned = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + parts[1] + ".";

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, await ReasonOf(Validate(unsigned)));
    }
}
