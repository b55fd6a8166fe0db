namespace RawMail.Transport;

/// <summary>
/// The server rejected authentication. The connection stays usable, for example to retry with a fresh token.
/// </summary>
/// <remarks>
/// SASL mechanisms such as XOAUTH2 and OAUTHBEARER (RFC 7628 section 3.2.2) send an error document before the
/// final failure. The protocol client decodes it and passes a neutral form here so this assembly needs no
/// reference to the SASL library.
/// </remarks>
public sealed class MailAuthenticationException : MailCommandException
{
    public MailAuthenticationException(
        string message,
        ReadOnlySpan<byte> responseText,
        string? serverErrorDetail = null,
        IReadOnlyDictionary<string, string>? serverErrorFields = null)
        : base(CommandErrorReason.AuthenticationFailed, message, responseText)
    {
        ServerErrorDetail = serverErrorDetail is null
            ? null
            : ProtocolText.Escape(serverErrorDetail, MaxResponseTextLength);
        ServerErrorFields = serverErrorFields;
    }

    /// <summary>The decoded SASL error document (for OAuth 2.0 mechanisms a JSON object), escaped and cut.</summary>
    public string? ServerErrorDetail { get; }

    /// <summary>
    /// The top-level fields of the SASL error document, for OAuth 2.0 mechanisms "status", "schemes", "scope"
    /// and "openid-configuration" (RFC 7628 section 3.2.2).
    /// </summary>
    public IReadOnlyDictionary<string, string>? ServerErrorFields { get; }
}
