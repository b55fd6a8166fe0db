using System.Net;

namespace RawMail.OAuth2;

/// <summary>The endpoints of one authorization server, from a preset, the options or discovery.</summary>
public sealed record OAuth2Endpoints
{
    public Uri? AuthorizationEndpoint { get; init; }

    public required Uri TokenEndpoint { get; init; }

    public Uri? DeviceAuthorizationEndpoint { get; init; }

    /// <summary>Issuer for id token and RFC 9207 <c>iss</c> checks; null when unknown.</summary>
    public string? Issuer { get; init; }

    public Uri? JwksUri { get; init; }

    /// <summary>The server sends <c>iss</c> on every authorization response (RFC 9207 3).</summary>
    public bool AuthorizationResponseIssParameterSupported { get; init; }

    internal const string MicrosoftAuthority = "https://login.microsoftonline.com/";

    /// <summary>Returns the preset endpoints, or null for a custom provider.</summary>
    internal static OAuth2Endpoints? ForPreset(OAuth2Provider provider, string tenant) => provider switch
    {
        OAuth2Provider.Microsoft => new OAuth2Endpoints
        {
            AuthorizationEndpoint =
                new Uri($"{MicrosoftAuthority}{Uri.EscapeDataString(tenant)}/oauth2/v2.0/authorize"),
            TokenEndpoint = new Uri($"{MicrosoftAuthority}{Uri.EscapeDataString(tenant)}/oauth2/v2.0/token"),
            DeviceAuthorizationEndpoint =
                new Uri($"{MicrosoftAuthority}{Uri.EscapeDataString(tenant)}/oauth2/v2.0/devicecode"),
            // Note: id tokens name the tenant by its id in iss, so the issuer is known only for a
            // tenant id. For common, organizations, consumers or a domain iss is not checked.
            Issuer = Guid.TryParse(tenant, out Guid tenantId) ? $"{MicrosoftAuthority}{tenantId:D}/v2.0" : null,
            JwksUri = new Uri($"{MicrosoftAuthority}{Uri.EscapeDataString(tenant)}/discovery/v2.0/keys"),
        },
        OAuth2Provider.Google => new OAuth2Endpoints
        {
            AuthorizationEndpoint = new Uri("https://accounts.google.com/o/oauth2/v2/auth"),
            TokenEndpoint = new Uri("https://oauth2.googleapis.com/token"),
            DeviceAuthorizationEndpoint = new Uri("https://oauth2.googleapis.com/device/code"),
            Issuer = "https://accounts.google.com",
            JwksUri = new Uri("https://www.googleapis.com/oauth2/v3/certs"),
        },
        _ => null,
    };

    /// <summary>
    /// Rejects an endpoint that is not https, except http on a loopback host so a local test
    /// server works (RFC 6749 3.1 and 3.2 require TLS for these endpoints).
    /// </summary>
    internal static void RequireSecure(Uri? endpoint, string name)
    {
        if (endpoint is null)
        {
            return;
        }

        if (!endpoint.IsAbsoluteUri)
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.InvalidConfiguration, $"The {name} '{endpoint}' is not an absolute URI.");
        }

        bool secure = endpoint.Scheme == Uri.UriSchemeHttps
            || (endpoint.Scheme == Uri.UriSchemeHttp && IsLoopbackHost(endpoint));
        if (!secure)
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.InvalidConfiguration,
                $"The {name} '{endpoint.GetLeftPart(UriPartial.Path)}' must use https; " +
                "http is allowed only for 127.0.0.1, [::1] and localhost.");
        }
    }

    /// <summary>Tells whether the URI names 127.0.0.0/8, ::1 or localhost.</summary>
    internal static bool IsLoopbackHost(Uri uri)
    {
        if (uri.HostNameType == UriHostNameType.Dns)
        {
            return string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase);
        }

        return IPAddress.TryParse(uri.IdnHost, out IPAddress? address) && IPAddress.IsLoopback(address);
    }
}
