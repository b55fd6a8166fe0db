using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace RawMail.Sasl;

/// <summary>
/// The JSON error a server sends in an XOAUTH2 or OAUTHBEARER error challenge (RFC 7628 section
/// 3.2.2), for example <c>{"status":"invalid_token","scope":"..."}</c>.
/// </summary>
/// <param name="Status">
/// The status: an RFC 6750 error code ("invalid_token") or, from Google and Microsoft, an HTTP
/// status code as text ("400", "401"). A JSON number is kept as its text.
/// </param>
/// <param name="Schemes">The authentication schemes the server accepts, for example "Bearer".</param>
/// <param name="Scope">The scope a token needs, for example "https://mail.google.com/".</param>
/// <param name="OpenIdConfiguration">The URL of the OpenID Connect discovery document.</param>
/// <param name="Raw">The whole JSON text.</param>
public sealed record SaslOAuthError(string? Status, string? Schemes, string? Scope, string? OpenIdConfiguration,
    string Raw)
{
    // Error objects from servers are a few hundred bytes. Larger input is not parsed, and the
    // mechanism keeps its raw bytes in ErrorChallenge instead.
    private const int MaxJsonLength = 16 * 1024;

    /// <summary>
    /// Parses the decoded challenge. Unknown members are ignored. Returns false, never throws, when
    /// the bytes are not a JSON object.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> json, [NotNullWhen(true)] out SaslOAuthError? error)
    {
        error = null;
        if (json.IsEmpty || json.Length > MaxJsonLength)
        {
            return false;
        }

        try
        {
            return TryRead(json, out error);
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader.GetString throws this for a string that is not valid UTF-8.
            return false;
        }
    }

    private static bool TryRead(ReadOnlySpan<byte> json, [NotNullWhen(true)] out SaslOAuthError? error)
    {
        error = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string? status = null;
        string? schemes = null;
        string? scope = null;
        string? openIdConfiguration = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            if (!reader.Read())
            {
                return false;
            }

            string? value = ReadScalar(ref reader);
            switch (name)
            {
                case "status":
                    status = value;
                    break;
                case "schemes":
                    schemes = value;
                    break;
                case "scope":
                    scope = value;
                    break;
                case "openid-configuration":
                    openIdConfiguration = value;
                    break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            // Unclosed object, or data after it. Reading past the end throws JsonException for
            // trailing garbage, which TryParse maps to false.
            return false;
        }

        error = new SaslOAuthError(status, schemes, scope, openIdConfiguration, Encoding.UTF8.GetString(json));
        return true;
    }

    // Returns a string or number as text and skips objects and arrays, so an unknown or oddly
    // typed member does not fail the whole error.
    private static string? ReadScalar(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                reader.Skip();
                return null;
            default:
                return null;
        }
    }
}
