namespace RawMail.Sasl;

/// <summary>
/// A source of OAuth 2.0 access tokens. The OAuth mechanisms call it once per authentication, so
/// a client that reconnects gets a fresh token rather than one captured when it was configured.
/// </summary>
public interface IAccessTokenProvider
{
    /// <summary>Gets a valid access token, refreshing it first when the implementation needs to.</summary>
    ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken);
}

/// <summary>Factories for simple <see cref="IAccessTokenProvider"/> implementations.</summary>
public static class AccessTokenProvider
{
    /// <summary>Creates a provider that calls <paramref name="getAccessTokenAsync"/> for every token.</summary>
    public static IAccessTokenProvider FromDelegate(Func<CancellationToken, ValueTask<string>> getAccessTokenAsync)
    {
        ArgumentNullException.ThrowIfNull(getAccessTokenAsync);
        return new DelegateProvider(getAccessTokenAsync);
    }

    /// <summary>
    /// Creates a provider that always returns <paramref name="accessToken"/>. It never refreshes,
    /// so it suits tests and short-lived tools.
    /// </summary>
    public static IAccessTokenProvider FromToken(string accessToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        return new FixedProvider(accessToken);
    }

    private sealed class DelegateProvider(Func<CancellationToken, ValueTask<string>> getAccessTokenAsync)
        : IAccessTokenProvider
    {
        public ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken) =>
            getAccessTokenAsync(cancellationToken);
    }

    private sealed class FixedProvider(string accessToken) : IAccessTokenProvider
    {
        public ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(accessToken);
        }

        public override string ToString() => "FixedAccessTokenProvider";
    }
}
