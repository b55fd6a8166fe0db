using RawMail.OAuth2;
using RawMail.TestSupport;
using Xunit.Abstractions;

namespace RawMail.Integration.Tests;

/// <summary>
/// OpenID Connect discovery and id token validation (OIDC Core 3.1.3.7) against the local server's
/// discovery document and JWKS.
/// </summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed class OAuth2DiscoveryTests(LocalServersFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly OAuth2Harness _harness = new(fixture.Servers, output);

    [RequiresServersFact]
    public async Task DiscoveryFindsEveryEndpoint()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        AuthorizationSettings expected = fixture.Servers.Authorization;
        using var client = new OAuth2Client(_harness.CreateOptions("native"));

        OAuth2Endpoints endpoints = await client.GetEndpointsAsync(timeout.Token);

        Assert.Equal(expected.AuthorizationEndpoint, endpoints.AuthorizationEndpoint);
        Assert.Equal(expected.TokenEndpoint, endpoints.TokenEndpoint);
        Assert.Equal(expected.DeviceAuthorizationEndpoint, endpoints.DeviceAuthorizationEndpoint);
        Assert.Equal(expected.JwksUri, endpoints.JwksUri);
        Assert.Equal(expected.Issuer.OriginalString, endpoints.Issuer);
        Assert.True(endpoints.AuthorizationResponseIssParameterSupported);
    }

    // The server names itself http://127.0.0.1:19000, so the same server reached as localhost is
    // another issuer (OpenID Connect Discovery 1.0 section 4.3).
    [RequiresServersFact]
    public async Task OtherIssuerNameIsRejected()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        OAuth2ProviderOptions options = _harness.CreateOptions("native");
        options.Issuer = new Uri($"http://localhost:{fixture.Servers.Ports.Authorization}");
        using var client = new OAuth2Client(options);

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(
            () => client.GetEndpointsAsync(timeout.Token));

        Assert.Equal(OAuth2ErrorReason.IssuerMismatch, exception.Reason);
    }

    [RequiresServersFact]
    public async Task TamperedIdTokenIsRejected()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        TestUser alice = fixture.Servers.User("alice");
        OAuth2ProviderOptions options = _harness.CreateOptions("native");
        _harness.SignInWithForm(options, alice);
        _harness.Recorder.RewriteTokenResponse = IdTokens.ReplaceSubject(alice.Email, fixture.Servers.User("bob").Email);
        using var client = new OAuth2Client(options);

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.SignInAsync(timeout.Token));

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, exception.Reason);
        Assert.Contains("signature", exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Null(client.Token);
        _harness.AssertNoSecretLogged();
    }

    // A genuine id token from an earlier sign-in carries that sign-in's nonce.
    [RequiresServersFact]
    public async Task ReplayedIdTokenFailsNonce()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        TestUser alice = fixture.Servers.User("alice");
        string earlier = await SignInAsync("native", alice, timeout.Token);
        OAuth2ProviderOptions options = _harness.CreateOptions("native");
        _harness.SignInWithForm(options, alice);
        _harness.Recorder.RewriteTokenResponse = IdTokens.Substitute(earlier);
        using var client = new OAuth2Client(options);

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.SignInAsync(timeout.Token));

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, exception.Reason);
        Assert.Contains("nonce", exception.Message, StringComparison.Ordinal);
    }

    // A genuine id token issued to another client has that client's id as its audience.
    [RequiresServersFact]
    public async Task OtherClientsIdTokenFailsAudience()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        TestUser alice = fixture.Servers.User("alice");
        string foreign = await SignInAsync("basic", alice, timeout.Token);
        OAuth2ProviderOptions options = _harness.CreateOptions("native");
        _harness.SignInWithForm(options, alice);
        _harness.Recorder.RewriteTokenResponse = IdTokens.Substitute(foreign);
        using var client = new OAuth2Client(options);

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.SignInAsync(timeout.Token));

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, exception.Reason);
        Assert.Contains("audience", exception.Message, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => _harness.Dispose();

    private async Task<string> SignInAsync(string clientKey, TestUser user, CancellationToken cancellationToken)
    {
        OAuth2ProviderOptions options = _harness.CreateOptions(clientKey);
        _harness.SignInWithForm(options, user);
        using var client = new OAuth2Client(options);
        OAuth2Token token = await client.SignInAsync(cancellationToken);
        return token.IdToken!;
    }
}
