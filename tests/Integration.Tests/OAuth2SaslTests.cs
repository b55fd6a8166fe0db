using RawMail.OAuth2;
using RawMail.Sasl;
using RawMail.TestSupport;
using Xunit.Abstractions;

namespace RawMail.Integration.Tests;

/// <summary>
/// <see cref="OAuth2AccessTokenProvider"/> feeding RawMail's own XOAUTH2 and OAUTHBEARER (RFC 7628)
/// mechanisms, which log in to Dovecot with the token the client obtained.
/// </summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed class OAuth2SaslTests(LocalServersFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly OAuth2Harness _harness = new(fixture.Servers, output);

    [RequiresServersTheory]
    [InlineData("XOAUTH2")]
    [InlineData("OAUTHBEARER")]
    public async Task ProviderTokenLogsInToImap(string mechanismName)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        OAuth2ProviderOptions options = _harness.CreateOptions("robot", ["mail"]);
        options.Permission = OAuth2PermissionMode.Service;
        using var client = new OAuth2Client(options);
        var provider = new OAuth2AccessTokenProvider(client);
        string mailbox = fixture.Servers.Client("robot").Mailbox!;
        SaslMechanism mechanism = mechanismName == "XOAUTH2"
            ? new XOAuth2Mechanism(mailbox, provider)
            : new OAuthBearerMechanism(mailbox, provider);

        string reply = await ImapOAuthLogin.AuthenticateAsync(fixture.Servers, mechanism, timeout.Token);

        Assert.StartsWith("a1 OK ", reply, StringComparison.Ordinal);
        Assert.NotNull(client.Token);
        _harness.AssertNoSecretLogged();
    }

    public void Dispose() => _harness.Dispose();
}
