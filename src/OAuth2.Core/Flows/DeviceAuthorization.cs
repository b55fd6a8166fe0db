namespace RawMail.OAuth2;

/// <summary>A device authorization response (RFC 8628 3.2), for the caller to show to the user.</summary>
public sealed class DeviceAuthorization
{
    /// <summary>The code the user types at <see cref="VerificationUri"/>.</summary>
    public required string UserCode { get; init; }

    public required Uri VerificationUri { get; init; }

    /// <summary>A URI that already carries the user code, for a QR code or a link.</summary>
    public Uri? VerificationUriComplete { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Microsoft's ready-made instruction text, when the server sends one.</summary>
    public string? Message { get; init; }

    internal string DeviceCode { get; init; } = "";

    internal TimeSpan Interval { get; init; }

    /// <summary>Reads the response; RFC 8628 3.2 makes the interval 5 seconds when absent.</summary>
    internal static DeviceAuthorization FromFields(ResponseFields fields, DateTimeOffset receivedAt)
    {
        string deviceCode = Require(fields, "device_code");
        string userCode = Require(fields, "user_code");
        // Google names it verification_url.
        string verification = fields.GetString("verification_uri") ?? Require(fields, "verification_url");
        long expiresIn = fields.GetInt64("expires_in") ?? throw Missing("expires_in");
        if (expiresIn is < 0 or > TokenResponse.MaxLifetimeSeconds)
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.MalformedResponse,
                $"The device authorization response has expires_in {expiresIn}, " +
                $"outside 0 to {TokenResponse.MaxLifetimeSeconds} seconds.");
        }

        long interval = fields.GetInt64("interval") ?? 5;
        if (!Uri.TryCreate(verification, UriKind.Absolute, out Uri? verificationUri))
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.MalformedResponse,
                "The device authorization response has an invalid verification_uri " +
                $"'{ResponseFields.Excerpt(verification)}'.");
        }

        Uri.TryCreate(fields.GetString("verification_uri_complete"), UriKind.Absolute, out Uri? complete);
        return new DeviceAuthorization
        {
            DeviceCode = deviceCode,
            UserCode = userCode,
            VerificationUri = verificationUri,
            VerificationUriComplete = complete,
            ExpiresAt = receivedAt.AddSeconds(expiresIn),
            Interval = TimeSpan.FromSeconds(Math.Clamp(interval, 1, 300)),
            Message = fields.GetString("message"),
        };
    }

    private static string Require(ResponseFields fields, string name) =>
        fields.GetString(name) is { Length: > 0 } value ? value : throw Missing(name);

    private static OAuth2Exception Missing(string name) => new(
        OAuth2ErrorReason.MalformedResponse, $"The device authorization response has no {name}.");
}
