using System.Net;
using Microsoft.Extensions.Logging;

namespace RawMail.OAuth2;

/// <summary>
/// Log events of the OAuth 2.0 client. They carry endpoints, grant types, status codes, error codes
/// and durations only, never a token, code, verifier, secret, assertion, state or nonce.
/// </summary>
internal static partial class OAuth2Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Sending {GrantType} request to {Endpoint}")]
    public static partial void RequestStarting(ILogger logger, string grantType, Uri endpoint);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug,
        Message = "{GrantType} request to {Endpoint} returned HTTP {StatusCode} after {ElapsedMilliseconds} ms")]
    public static partial void RequestCompleted(
        ILogger logger, string grantType, Uri endpoint, HttpStatusCode statusCode, long elapsedMilliseconds);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "{GrantType} request to {Endpoint} failed: {Reason} (error {Error}, HTTP {StatusCode})")]
    public static partial void RequestFailed(
        ILogger logger, string grantType, Uri endpoint, OAuth2ErrorReason reason, string? error, int? statusCode);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Access token refreshed")]
    public static partial void TokenRefreshed(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning,
        Message = "Refresh token rejected ({Reason}); it is dropped")]
    public static partial void RefreshTokenRejected(ILogger logger, OAuth2ErrorReason reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information,
        Message = "Waiting for the authorization redirect to {RedirectUri}")]
    public static partial void ListenerStarted(ILogger logger, Uri redirectUri);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning,
        Message = "Rejected a request to the redirect listener: {RejectReason}")]
    public static partial void RedirectRejected(ILogger logger, string rejectReason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "Read OpenID Connect discovery document of {Issuer}")]
    public static partial void DiscoveryLoaded(ILogger logger, string issuer);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug,
        Message = "Device authorization pending; next poll in {IntervalSeconds} s")]
    public static partial void DevicePollPending(ILogger logger, double intervalSeconds);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning,
        Message = "Could not open the system browser with {Command}")]
    public static partial void BrowserLaunchFailed(ILogger logger, string command, Exception exception);
}
