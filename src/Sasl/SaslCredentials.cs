namespace RawMail.Sasl;

/// <summary>
/// What a client can authenticate with: a user name plus a password, an access token provider, or
/// both. <see cref="SaslMechanismSelector"/> picks a mechanism the credentials can serve.
/// </summary>
public sealed class SaslCredentials
{
    public SaslCredentials(string userName, string? password = null, IAccessTokenProvider? tokenProvider = null,
        string? authorizationId = null)
    {
        SaslText.ThrowIfInvalidName(userName, nameof(userName));
        if (password is null && tokenProvider is null)
        {
            throw new ArgumentException("Credentials need a password, an access token provider or both.",
                nameof(password));
        }

        if (password is not null)
        {
            SaslText.ThrowIfInvalidPassword(password, nameof(password));
        }

        if (authorizationId is not null)
        {
            SaslText.ThrowIfInvalidName(authorizationId, nameof(authorizationId));
        }

        UserName = userName;
        Password = password;
        TokenProvider = tokenProvider;
        AuthorizationId = authorizationId;
    }

    public string UserName { get; }

    public string? Password { get; }

    public IAccessTokenProvider? TokenProvider { get; }

    /// <summary>
    /// The identity to act as, which only PLAIN sends (RFC 4616 authzid). Null acts as <see cref="UserName"/>.
    /// </summary>
    public string? AuthorizationId { get; }

    public static SaslCredentials FromPassword(string userName, string password) => new(userName, password);

    public static SaslCredentials FromTokenProvider(string userName, IAccessTokenProvider tokenProvider) =>
        new(userName, tokenProvider: tokenProvider);

    // Keeps the password out of logs and debugger displays.
    public override string ToString() => $"SaslCredentials({UserName})";
}
