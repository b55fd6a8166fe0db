using RawMail.OAuth2;
using RawMail.TestSupport;
using Xunit.Abstractions;

namespace RawMail.Integration.Tests;

/// <summary>
/// The device authorization grant (RFC 8628): the test shows no code to anyone but acts as the
/// person, entering the user code at the server's pages while the client polls.
/// </summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed class OAuth2DeviceTests(LocalServersFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const string PendingLogMessage = "Device authorization pending";

    private readonly OAuth2Harness _harness = new(fixture.Servers, output);

    [RequiresServersFact]
    public async Task ApprovedDeviceLogsInToImap()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        TestUser alice = fixture.Servers.User("alice");
        OAuth2ProviderOptions options = CreateDeviceOptions();
        DeviceAuthorization? displayed = null;
        Task<Uri>? approval = null;
        options.DeviceCodeCallback = (device, cancellationToken) =>
        {
            // The person approves only after the client's first poll received authorization_pending.
            displayed = device;
            approval = ApproveAfterFirstPollAsync(device, alice, timeout.Token);
            return Task.CompletedTask;
        };
        using var client = new OAuth2Client(options);

        OAuth2Token token = await client.SignInAsync(timeout.Token);
        Uri finalPage = await approval!;

        Assert.NotEqual(string.Empty, displayed!.UserCode);
        Assert.Equal(new Uri(fixture.Servers.Authorization.Issuer, "/device"), displayed.VerificationUri);
        Assert.Equal(fixture.Servers.Authorization.Issuer.Port, finalPage.Port);
        Assert.Contains(PendingLogMessage, _harness.Logger.Text, StringComparison.Ordinal);
        Assert.NotNull(token.RefreshToken);
        Assert.Contains("mail", token.Scopes);
        Assert.Equal(alice.Email, OAuth2Harness.ReadClaims(token.IdToken!).GetProperty("sub").GetString());
        string reply = await ImapOAuthLogin.AuthenticateAsync(fixture.Servers, alice.Email, token.AccessToken, timeout.Token);
        Assert.StartsWith("a1 OK ", reply, StringComparison.Ordinal);
        _harness.AssertNoSecretLogged();
    }

    [RequiresServersFact]
    public async Task DeniedDeviceIsAccessDenied()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        OAuth2ProviderOptions options = CreateDeviceOptions();
        options.DeviceCodeCallback = (device, cancellationToken) =>
            _harness.Person.DenyDeviceAsync(device, cancellationToken);
        using var client = new OAuth2Client(options);

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.SignInAsync(timeout.Token));

        Assert.Equal("access_denied", exception.Error);
        Assert.Equal(OAuth2ErrorReason.AccessDenied, exception.Reason);
        Assert.Null(client.Token);
        _harness.AssertNoSecretLogged();
    }

    // The id token of a device grant is checked like one from the browser flow, without a nonce.
    [RequiresServersFact]
    public async Task TamperedDeviceIdTokenIsRejected()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        TestUser alice = fixture.Servers.User("alice");
        OAuth2ProviderOptions options = CreateDeviceOptions();
        options.DeviceCodeCallback = async (device, cancellationToken) =>
            await _harness.Person.ApproveDeviceAsync(device, alice, cancellationToken);
        _harness.Recorder.RewriteTokenResponse = IdTokens.ReplaceSubject(alice.Email, fixture.Servers.User("bob").Email);
        using var client = new OAuth2Client(options);

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => client.SignInAsync(timeout.Token));

        Assert.Equal(OAuth2ErrorReason.InvalidIdToken, exception.Reason);
        Assert.Null(client.Token);
    }

    public void Dispose() => _harness.Dispose();

    private async Task<Uri> ApproveAfterFirstPollAsync(
        DeviceAuthorization device, TestUser user, CancellationToken cancellationToken)
    {
        // The client logs each authorization_pending response once it has parsed it.
        while (!_harness.Logger.Text.Contains(PendingLogMessage, StringComparison.Ordinal))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        return await _harness.Person.ApproveDeviceAsync(device, user, cancellationToken);
    }

    private OAuth2ProviderOptions CreateDeviceOptions()
    {
        OAuth2ProviderOptions options = _harness.CreateOptions("native");
        options.InteractiveFlow = OAuth2InteractiveFlow.DeviceCode;
        return options;
    }
}
