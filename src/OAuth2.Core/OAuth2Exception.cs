using System.Net;

namespace RawMail.OAuth2;

/// <summary>Cause of an <see cref="OAuth2Exception"/>, for callers that branch on it.</summary>
public enum OAuth2ErrorReason
{
    /// <summary>The server returned an error code this client does not map.</summary>
    Other,

    /// <summary>The options are incomplete or contradict each other.</summary>
    InvalidConfiguration,

    /// <summary>error=invalid_request.</summary>
    InvalidRequest,

    /// <summary>error=invalid_client: unknown client, wrong secret or wrong assertion.</summary>
    InvalidClient,

    /// <summary>error=invalid_grant: the code, refresh token or assertion is invalid, expired or revoked.</summary>
    InvalidGrant,

    /// <summary>error=unauthorized_client.</summary>
    UnauthorizedClient,

    /// <summary>error=unsupported_grant_type or unsupported_response_type.</summary>
    UnsupportedGrantType,

    /// <summary>error=invalid_scope.</summary>
    InvalidScope,

    /// <summary>error=access_denied: the user or the server refused.</summary>
    AccessDenied,

    /// <summary>The user has to sign in or consent again (interaction_required, login_required, ...).</summary>
    InteractionRequired,

    /// <summary>error=server_error or temporarily_unavailable, or an HTTP 5xx status.</summary>
    ServerError,

    /// <summary>The response is not a valid token, error, discovery or device response.</summary>
    MalformedResponse,

    /// <summary>The operation did not finish within its time limit.</summary>
    Timeout,

    /// <summary>The redirect carried a state that does not belong to this request.</summary>
    StateMismatch,

    /// <summary>The issuer of a discovery document, redirect (RFC 9207) or id token is not the expected one.</summary>
    IssuerMismatch,

    /// <summary>The device code expired before the user finished (RFC 8628 3.5 expired_token).</summary>
    ExpiredToken,

    /// <summary>The id token failed validation (signature, audience, lifetime or nonce).</summary>
    InvalidIdToken,

    /// <summary>The HTTP request failed before a response arrived.</summary>
    NetworkFailure,
}

/// <summary>
/// An OAuth 2.0 failure: an error response from the authorization server (RFC 6749 5.2 and 4.1.2.1)
/// or a fault this client found in a response, with the server's fields kept as sent.
/// </summary>
public class OAuth2Exception : Exception
{
    public OAuth2Exception(OAuth2ErrorReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    public OAuth2ErrorReason Reason { get; }

    /// <summary>The server's <c>error</c> code, such as <c>invalid_grant</c>.</summary>
    public string? Error { get; init; }

    public string? ErrorDescription { get; init; }

    public string? ErrorUri { get; init; }

    /// <summary>Microsoft identity platform AADSTS numbers (<c>error_codes</c>).</summary>
    public IReadOnlyList<long> ErrorCodes { get; init; } = [];

    /// <summary>Microsoft identity platform <c>trace_id</c>.</summary>
    public string? TraceId { get; init; }

    /// <summary>Microsoft identity platform <c>correlation_id</c>.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>HTTP status of the response, when the failure came from one.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>Maps an RFC 6749 / OpenID Connect error code to a reason.</summary>
    public static OAuth2ErrorReason ReasonFor(string? error) => error switch
    {
        "invalid_request" => OAuth2ErrorReason.InvalidRequest,
        "invalid_client" => OAuth2ErrorReason.InvalidClient,
        "invalid_grant" => OAuth2ErrorReason.InvalidGrant,
        "unauthorized_client" => OAuth2ErrorReason.UnauthorizedClient,
        "unsupported_grant_type" or "unsupported_response_type" => OAuth2ErrorReason.UnsupportedGrantType,
        "invalid_scope" => OAuth2ErrorReason.InvalidScope,
        // The Microsoft identity platform's device flow returns authorization_declined.
        "access_denied" or "authorization_declined" => OAuth2ErrorReason.AccessDenied,
        "expired_token" => OAuth2ErrorReason.ExpiredToken,
        "server_error" or "temporarily_unavailable" => OAuth2ErrorReason.ServerError,
        // OpenID Connect Core 3.1.2.6.
        "interaction_required" or "login_required" or "consent_required" or "account_selection_required"
            => OAuth2ErrorReason.InteractionRequired,
        _ => OAuth2ErrorReason.Other,
    };
}

/// <summary>
/// The token cannot be obtained without the user: no refresh token, or the refresh token was
/// rejected, and interactive sign-in is not allowed.
/// </summary>
public sealed class OAuth2InteractionRequiredException : OAuth2Exception
{
    public OAuth2InteractionRequiredException(string message, Exception? innerException = null)
        : base(OAuth2ErrorReason.InteractionRequired, message, innerException)
    {
    }
}
