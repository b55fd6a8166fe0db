using RawMail.Sasl;

namespace RawMail.OAuth2;

/// <summary>
/// Supplies access tokens from an <see cref="OAuth2Client"/> to the SASL XOAUTH2 and OAUTHBEARER mechanisms.
/// </summary>
/// <remarks>
/// The mechanisms ask for a token on every authentication, so a client that reconnects gets a fresh one.
/// </remarks>
public sealed class OAuth2AccessTokenProvider : IAccessTokenProvider
{
    private readonly OAuth2Client _client;

    public OAuth2AccessTokenProvider(OAuth2Client client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>Returns a current access token, refreshing or signing in as the client's options allow.</summary>
    public async ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        OAuth2Token token = await _client.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return token.AccessToken;
    }
}
