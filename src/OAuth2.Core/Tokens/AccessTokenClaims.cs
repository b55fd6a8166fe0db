using System.Buffers.Text;
using System.Text.Json;

namespace RawMail.OAuth2;

/// <summary>
/// Audience, scopes and roles read from a JWT access token without checking its signature. A mail
/// server rejects a token for the wrong resource with no detail ("NO AUTHENTICATE failed."), so a
/// client reads these before authenticating to explain the failure.
/// </summary>
/// <remarks>Only the resource server can validate its token; these values are for diagnostics, not trust.</remarks>
public sealed class AccessTokenClaims
{
    private static readonly HashSet<string> s_exchangeOnlineAudiences = new(StringComparer.OrdinalIgnoreCase)
    {
        "https://outlook.office.com",
        "https://outlook.office365.com",
        "https://outlook.office.com/",
        "https://outlook.office365.com/",
        "https://ps.outlook.com",
        // The Exchange Online application id.
        "00000002-0000-0ff1-ce00-000000000000",
    };

    public IReadOnlyList<string> Audiences { get; private init; } = [];

    /// <summary>Delegated permissions (<c>scp</c>), such as IMAP.AccessAsUser.All.</summary>
    public IReadOnlyList<string> Scopes { get; private init; } = [];

    /// <summary>Application permissions (<c>roles</c>), such as IMAP.AccessAsApp.</summary>
    public IReadOnlyList<string> Roles { get; private init; } = [];

    /// <summary>
    /// Tells whether the token is for Exchange Online, the resource behind outlook.office365.com IMAP, POP
    /// and SMTP.
    /// </summary>
    public bool IsForExchangeOnline => Audiences.Any(s_exchangeOnlineAudiences.Contains);

    /// <summary>Reads the claims, or returns null when the token is not a JWT (Google's tokens are opaque).</summary>
    public static AccessTokenClaims? TryRead(string accessToken)
    {
        ArgumentNullException.ThrowIfNull(accessToken);
        string[] parts = accessToken.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            byte[] payload = Base64Url.DecodeFromChars(parts[1]);
            using JsonDocument document = JsonDocument.Parse(payload);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new AccessTokenClaims
            {
                Audiences = ReadStrings(root, "aud"),
                Scopes = root.TryGetProperty("scp", out JsonElement scp) && scp.ValueKind == JsonValueKind.String
                    ? scp.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    : [],
                Roles = ReadStrings(root, "roles"),
            };
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            return null;
        }
    }

    private static string[] ReadStrings(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement value))
        {
            return [];
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return [value.GetString()!];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return value.EnumerateArray()
            .Where(element => element.ValueKind == JsonValueKind.String)
            .Select(element => element.GetString()!)
            .ToArray();
    }
}
