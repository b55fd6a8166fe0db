namespace RawMail.Sasl;

/// <summary>
/// A SASL client mechanism (RFC 4422) as a state machine over raw, base64-decoded bytes. The
/// protocol client does the base64 and the I/O.
/// </summary>
/// <remarks>
/// <para>
/// A protocol client first calls <see cref="CreateInitialResponseAsync"/>. When the result is not
/// null it either sends it with the command (SASL-IR, <c>AUTH X initial-response</c>) or sends the
/// command alone and then the same bytes in response to the server's first, empty challenge
/// (RFC 4422 section 5). That first empty challenge is not passed to
/// <see cref="EvaluateChallenge"/>; every later challenge is. An empty initial response goes on
/// the wire as "=" (RFC 4954 section 4, RFC 4959 section 3), although none of the mechanisms here
/// produce one.
/// </para>
/// <para>
/// An instance runs one exchange. Create a new one for every authentication attempt.
/// </para>
/// </remarks>
public abstract class SaslMechanism
{
    private bool _initialResponseCreated;

    /// <summary>The registered mechanism name, for example "XOAUTH2".</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Whether the client speaks first, so <see cref="CreateInitialResponseAsync"/> returns a
    /// message rather than null.
    /// </summary>
    public abstract bool SupportsInitialResponse { get; }

    /// <summary>
    /// Whether the client has sent its last message, so the next server message should be the
    /// final result (success or failure) rather than a challenge.
    /// </summary>
    public bool IsComplete { get; protected set; }

    /// <summary>
    /// Whether the server sent an error challenge. The exchange then ends in failure after the
    /// client's response, whatever the final reply contains.
    /// </summary>
    public bool HasServerError { get; protected set; }

    /// <summary>
    /// Creates the client's first message, or returns null when the mechanism waits for a server
    /// challenge first. Call it once, before any challenge.
    /// </summary>
    /// <exception cref="SaslException">The credentials cannot be sent, for example an empty token.</exception>
    public async ValueTask<SaslResponse?> CreateInitialResponseAsync(SaslContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_initialResponseCreated)
        {
            throw new InvalidOperationException(
                "The initial response was already created. Use a new mechanism instance.");
        }

        _initialResponseCreated = true;
        return await CreateInitialResponseCoreAsync(context, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Computes the response to a server challenge (the decoded bytes after "+ " or "334 ").</summary>
    /// <returns>The response to send, possibly empty. Dispose it after sending.</returns>
    /// <exception cref="SaslException">
    /// The challenge is invalid or unexpected, or the server failed verification.
    /// </exception>
    public SaslResponse EvaluateChallenge(ReadOnlySpan<byte> challenge)
    {
        if (!_initialResponseCreated)
        {
            throw new InvalidOperationException("Call CreateInitialResponseAsync before evaluating a challenge.");
        }

        return EvaluateChallengeCore(challenge);
    }

    /// <summary>
    /// Checks the server's success reply, with the additional data it carried if any (RFC 4422
    /// section 5, "outcome with additional data"). Mechanisms with mutual authentication, such as
    /// SCRAM, fail here when the server has not proved that it has the password.
    /// </summary>
    /// <exception cref="SaslException">The server's proof is missing or wrong.</exception>
    public virtual void ValidateSuccess(ReadOnlySpan<byte> additionalData)
    {
        if (!additionalData.IsEmpty)
        {
            throw new SaslException(SaslErrorReason.InvalidServerMessage,
                $"The server sent additional data with success, which {Name} does not define.");
        }
    }

    protected abstract ValueTask<SaslResponse?> CreateInitialResponseCoreAsync(SaslContext context,
        CancellationToken cancellationToken);

    protected abstract SaslResponse EvaluateChallengeCore(ReadOnlySpan<byte> challenge);

    protected SaslException UnexpectedChallenge() =>
        new(SaslErrorReason.UnexpectedChallenge,
            $"The server sent a {Name} challenge after the client's last message.");

    public override string ToString() => Name;
}
