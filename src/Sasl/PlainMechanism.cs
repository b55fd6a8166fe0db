namespace RawMail.Sasl;

/// <summary>
/// The PLAIN mechanism (RFC 4616): [authzid] NUL authcid NUL passwd in one message. It sends the
/// password in clear, so protocol clients use it only over TLS.
/// </summary>
public sealed class PlainMechanism : SaslMechanism
{
    private readonly string _password;

    /// <param name="userName">The authentication identity (authcid).</param>
    /// <param name="password">The password, any text without NUL.</param>
    /// <param name="authorizationId">
    /// The identity to act as (authzid), or null to act as <paramref name="userName"/>.
    /// </param>
    public PlainMechanism(string userName, string password, string? authorizationId = null)
    {
        SaslText.ThrowIfInvalidName(userName, nameof(userName));
        SaslText.ThrowIfInvalidPassword(password, nameof(password));
        if (authorizationId is not null)
        {
            SaslText.ThrowIfInvalidName(authorizationId, nameof(authorizationId));
        }

        UserName = userName;
        AuthorizationId = authorizationId;
        _password = password;
    }

    public override string Name => "PLAIN";

    public override bool SupportsInitialResponse => true;

    public string UserName { get; }

    public string? AuthorizationId { get; }

    protected override ValueTask<SaslResponse?> CreateInitialResponseCoreAsync(SaslContext context,
        CancellationToken cancellationToken)
    {
        string authorizationId = AuthorizationId ?? string.Empty;
        int capacity = SaslText.StrictUtf8.GetByteCount(authorizationId) + 1
            + SaslText.StrictUtf8.GetByteCount(UserName) + 1
            + SaslText.StrictUtf8.GetByteCount(_password);

        var writer = new SaslResponseWriter(capacity);
        writer.Write(authorizationId);
        writer.Write((byte)0);
        writer.Write(UserName);
        writer.Write((byte)0);
        writer.Write(_password);
        IsComplete = true;
        return ValueTask.FromResult<SaslResponse?>(writer.ToResponse());
    }

    // PLAIN ends with its one message (RFC 4616 section 2), so the server has no challenge to send.
    protected override SaslResponse EvaluateChallengeCore(ReadOnlySpan<byte> challenge) => throw UnexpectedChallenge();
}
