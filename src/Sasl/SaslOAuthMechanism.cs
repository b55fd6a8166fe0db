namespace RawMail.Sasl;

/// <summary>
/// The shared part of XOAUTH2 and OAUTHBEARER: the client sends the bearer token in one message,
/// and any challenge after it is the server's error report, a JSON object (RFC 7628 section 3.2.2).
/// </summary>
public abstract class SaslOAuthMechanism : SaslMechanism
{
    private readonly IAccessTokenProvider _tokenProvider;

    protected SaslOAuthMechanism(string userName, IAccessTokenProvider tokenProvider)
    {
        ArgumentNullException.ThrowIfNull(tokenProvider);
        SaslText.ThrowIfInvalidName(userName, nameof(userName));
        UserName = userName;
        _tokenProvider = tokenProvider;
    }

    public string UserName { get; }

    public override bool SupportsInitialResponse => true;

    /// <summary>The decoded error the server sent, or null when there was none or it was not JSON.</summary>
    public SaslOAuthError? OAuthError { get; private set; }

    /// <summary>
    /// The raw bytes of the server's error challenge, kept for diagnostics when they are not valid
    /// JSON. Empty when there was no error challenge.
    /// </summary>
    public ReadOnlyMemory<byte> ErrorChallenge { get; private set; }

    protected override async ValueTask<SaslResponse?> CreateInitialResponseCoreAsync(SaslContext context,
        CancellationToken cancellationToken)
    {
        string token = await _tokenProvider.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        SaslText.ThrowIfInvalidAccessToken(token);
        SaslResponse response = BuildTokenMessage(context, token);
        IsComplete = true;
        return response;
    }

    protected override SaslResponse EvaluateChallengeCore(ReadOnlySpan<byte> challenge)
    {
        // Both mechanisms succeed without a challenge, so any challenge, even an empty one or one
        // that is not JSON, is a failure report. The client responds to it and the server then
        // sends the final failure (RFC 7628 section 3.2.3). A second challenge has no defined response.
        if (HasServerError)
        {
            throw UnexpectedChallenge();
        }

        HasServerError = true;
        ErrorChallenge = challenge.ToArray();
        OAuthError = SaslOAuthError.TryParse(challenge, out SaslOAuthError? error) ? error : null;
        return CreateErrorChallengeResponse();
    }

    /// <summary>Builds the message that carries the token.</summary>
    protected abstract SaslResponse BuildTokenMessage(SaslContext context, string accessToken);

    /// <summary>Creates the response to the server's error challenge.</summary>
    protected abstract SaslResponse CreateErrorChallengeResponse();
}
