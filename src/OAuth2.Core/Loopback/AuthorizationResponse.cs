namespace RawMail.OAuth2;

/// <summary>The successful authorization response carried by the redirect (RFC 6749 4.1.2).</summary>
public sealed class AuthorizationResponse
{
    public required string Code { get; init; }

    public required string State { get; init; }

    /// <summary>The RFC 9207 <c>iss</c> parameter, when the server sent one.</summary>
    public string? Issuer { get; init; }
}
