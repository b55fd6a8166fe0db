namespace RawMail.OAuth2;

/// <summary>OpenID Connect Discovery 1.0 provider metadata, reduced to what this client uses.</summary>
internal static class DiscoveryDocument
{
    public const string WellKnownPath = "/.well-known/openid-configuration";

    /// <summary>Returns {issuer}/.well-known/openid-configuration (Discovery 4.1).</summary>
    public static Uri LocationFor(Uri issuer) => new(issuer.OriginalString.TrimEnd('/') + WellKnownPath);

    /// <summary>
    /// Reads the document and checks that its issuer is exactly the configured one (Discovery 4.3),
    /// so a document served for another issuer cannot redirect the client.
    /// </summary>
    public static OAuth2Endpoints Parse(ResponseFields fields, Uri expectedIssuer)
    {
        string issuer = fields.GetString("issuer") ?? throw Malformed("has no issuer");
        if (!string.Equals(issuer, expectedIssuer.OriginalString, StringComparison.Ordinal))
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.IssuerMismatch,
                $"The discovery document names issuer '{ResponseFields.Excerpt(issuer)}', " +
                $"but the configured issuer is '{expectedIssuer.OriginalString}'.");
        }

        Uri tokenEndpoint = GetUri(fields, "token_endpoint") ?? throw Malformed("has no token_endpoint");
        var endpoints = new OAuth2Endpoints
        {
            Issuer = issuer,
            AuthorizationEndpoint = GetUri(fields, "authorization_endpoint"),
            TokenEndpoint = tokenEndpoint,
            DeviceAuthorizationEndpoint = GetUri(fields, "device_authorization_endpoint"),
            JwksUri = GetUri(fields, "jwks_uri"),
            AuthorizationResponseIssParameterSupported =
                fields.GetBoolean("authorization_response_iss_parameter_supported"),
        };
        OAuth2Endpoints.RequireSecure(endpoints.AuthorizationEndpoint, "authorization_endpoint");
        OAuth2Endpoints.RequireSecure(endpoints.TokenEndpoint, "token_endpoint");
        OAuth2Endpoints.RequireSecure(endpoints.DeviceAuthorizationEndpoint, "device_authorization_endpoint");
        OAuth2Endpoints.RequireSecure(endpoints.JwksUri, "jwks_uri");
        return endpoints;
    }

    private static Uri? GetUri(ResponseFields fields, string name)
    {
        string? text = fields.GetString(name);
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out Uri? uri)
            ? uri
            : throw Malformed($"has an invalid {name} '{ResponseFields.Excerpt(text)}'");
    }

    private static OAuth2Exception Malformed(string problem) =>
        new(OAuth2ErrorReason.MalformedResponse, $"The OpenID Connect discovery document {problem}.");
}
