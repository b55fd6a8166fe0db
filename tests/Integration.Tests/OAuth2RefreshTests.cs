using RawMail.OAuth2;
using RawMail.TestSupport;
using Xunit.Abstractions;

namespace RawMail.Integration.Tests;

/// <summary>Refreshing tokens (RFC 6749 6) at the local server, including refresh token rotation.</summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed class OAuth2RefreshTests(LocalServersFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly OAuth2Harness _harness = new(fixture.Servers, output);

    // The short client's access tokens live 2 seconds, so the test waits for a real expiry.
    [RequiresServersFact]
    public async Task ExpiredTokenIsRefreshedSilently()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        TestUser alice = fixture.Servers.User("alice");
        OAuth2ProviderOptions options = _harness.CreateOptions("short");
        options.RefreshSkew = TimeSpan.Zero;
        List<Uri> signIns = _harness.SignInWithForm(options, alice);
        using var client = new OAuth2Client(options);
        OAuth2Token first = await client.GetTokenAsync(timeout.Token);

        await Task.Delay(first.ExpiresAt!.Value - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500), timeout.Token);
        string expiredReply = await ImapOAuthLogin.AuthenticateAsync(
            fixture.Servers, alice.Email, first.AccessToken, timeout.Token);
        OAuth2Token second = await client.GetTokenAsync(timeout.Token);

        Assert.StartsWith("a1 NO ", expiredReply, StringComparison.Ordinal);
        Assert.Single(signIns);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.NotNull(second.RefreshToken);
        Assert.Contains("mail", second.Scopes);
        Assert.Contains(_harness.Recorder.Requests, sent => sent.Form.GetValueOrDefault("grant_type") == "refresh_token");
        string reply = await ImapOAuthLogin.AuthenticateAsync(fixture.Servers, alice.Email, second.AccessToken, timeout.Token);
        Assert.StartsWith("a1 OK ", reply, StringComparison.Ordinal);
        _harness.AssertNoSecretLogged();
    }

    // A public client's refresh token changes at every use, and the old one is then rejected.
    [RequiresServersFact]
    public async Task ReplayedRefreshTokenIsInvalidGrant()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        OAuth2ProviderOptions options = _harness.CreateOptions("native");
        _harness.SignInWithForm(options, fixture.Servers.User("bob"));
        using var client = new OAuth2Client(options);
        OAuth2Token first = await client.GetTokenAsync(timeout.Token);
        client.InvalidateAccessToken();
        OAuth2Token second = await client.GetTokenAsync(timeout.Token);

        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.NotNull(second.RefreshToken);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);

        OAuth2ProviderOptions replayOptions = _harness.CreateOptions("native");
        replayOptions.AllowInteractive = false;
        replayOptions.Token = new OAuth2Token
        {
            AccessToken = first.AccessToken,
            RefreshToken = first.RefreshToken,
            ExpiresAt = DateTimeOffset.UnixEpoch,
        };
        using var replay = new OAuth2Client(replayOptions);
        OAuth2InteractionRequiredException exception = await Assert.ThrowsAsync<OAuth2InteractionRequiredException>(
            () => replay.GetTokenAsync(timeout.Token));

        Assert.Equal("invalid_grant", exception.Error);
        Assert.Equal(OAuth2ErrorReason.InvalidGrant, Assert.IsType<OAuth2Exception>(exception.InnerException).Reason);
        Assert.Null(replay.Token!.RefreshToken);
        _harness.AssertNoSecretLogged();
    }

    // The id token of a refresh response is validated against the JWKS like the first one.
    [RequiresServersFact]
    public async Task TamperedRefreshIdTokenIsRejected()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        TestUser alice = fixture.Servers.User("alice");
        OAuth2ProviderOptions options = _harness.CreateOptions("native");
        _harness.SignInWithForm(options, alice);
        using var client = new OAuth2Client(options);
        OAuth2Token first = await client.GetTokenAsync(timeout.Token);
        client.InvalidateAccessToken();
        _harness.Recorder.RewriteTokenResponse = IdTokens.ReplaceSubject(alice.Email, fixture.Servers.User("bob").Email);

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.GetTokenAsync(timeout.Token));

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, exception.Reason);
        Assert.Equal(first.AccessToken, client.Token!.AccessToken);
        _harness.AssertNoSecretLogged();
    }

    public void Dispose() => _harness.Dispose();
}
