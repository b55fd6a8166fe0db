using System.Text;
using FsCheck;
using FsCheck.Xunit;
using static RawMail.Sasl.Tests.SaslTestHelpers;

namespace RawMail.Sasl.Tests;

public sealed class SaslPropertyTests
{
    private const string ClientNonce = "fyko+d2lbbFgONRv9qkxdawL";

    // Drops what a name may not contain: C0 controls, DEL and lone surrogates.
    private static string CleanName(string? value)
    {
        var builder = new StringBuilder();
        foreach (Rune rune in (value ?? "").EnumerateRunes())
        {
            if (rune.Value >= 0x20 && rune.Value != 0x7F && rune.Value != 0xFFFD)
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    // Keeps printable ASCII without space, the characters an access token may contain.
    private static string CleanToken(string? value)
    {
        string token = new((value ?? "").Where(c => c > 0x20 && c < 0x7F).ToArray());
        return token.Length == 0 ? "t" : token;
    }

    private static string CleanPassword(string? value) => CleanName(value).Replace("\0", "", StringComparison.Ordinal);

    [Property]
    public bool Plain_RoundTrips(string? authorizationId, string? user, string? password)
    {
        string authzid = CleanName(authorizationId);
        string authcid = CleanName(user);
        string secret = CleanPassword(password);

        using SaslResponse response = CreateInitial(new PlainMechanism(authcid, secret, authzid));

        return DecodePlain(response.Span) == (authzid, authcid, secret);
    }

    [Property]
    public bool XOAuth2_RoundTrips(string? user, string? token)
    {
        string name = CleanName(user);
        string accessToken = CleanToken(token);

        var mechanism = new XOAuth2Mechanism(name, AccessTokenProvider.FromToken(accessToken));
        using SaslResponse response = CreateInitial(mechanism);

        return DecodeXOAuth2(response.Span) == (name, accessToken)
            && response.Base64Length == response.ToBase64().Length;
    }

    [Property]
    public bool OAuthBearer_RoundTrips(string? user, string? token, PositiveInt port)
    {
        string name = CleanName(user);
        if (name.Length == 0)
        {
            name = "u";
        }

        string accessToken = CleanToken(token);
        int portNumber = port.Get % 65535 + 1;
        var context = new SaslContext("mail.example.com", portNumber, "imap");

        using SaslResponse response = CreateInitial(
            new OAuthBearerMechanism(name, AccessTokenProvider.FromToken(accessToken)), context);

        return DecodeOAuthBearer(response.Span) == (name, "mail.example.com", portNumber.ToString(), accessToken);
    }

    [Property]
    public bool SaslName_RoundTrips(string? value)
    {
        string name = value ?? "";
        string escaped = SaslName.Escape(name);

        return !escaped.Contains(',', StringComparison.Ordinal)
            && SaslName.TryUnescape(escaped, out string unescaped)
            && unescaped == name;
    }

    [Property]
    public bool SaslName_UnescapeNeverThrows(string? value)
    {
        SaslName.TryUnescape(value ?? "", out _);
        return true;
    }

    [Property]
    public bool OAuthError_NeverThrows(byte[] bytes)
    {
        bool parsed = SaslOAuthError.TryParse(bytes, out SaslOAuthError? error);
        return parsed == error is not null;
    }

    [Property]
    public bool OAuthError_NeverThrowsOnJsonFragments(string[] fragments)
    {
        string[] pieces =
        [
            "{", "}", "[", "]", ",", ":", "\"status\"", "\"scope\"", "\"x\"", "401", "null", "\"\\u00e9\"",
            "\"\\ud800\"", " ",
        ];
        var json = new StringBuilder();
        foreach (string fragment in fragments ?? [])
        {
            json.Append(pieces[(fragment?.Length ?? 0) % pieces.Length]);
        }

        bool parsed = SaslOAuthError.TryParse(Encoding.UTF8.GetBytes(json.ToString()), out SaslOAuthError? error);
        return parsed == error is not null;
    }

    [Property]
    public bool ScramServerFirst_ThrowsOnlySaslException(byte[] bytes)
    {
        return OnlySaslException(bytes);
    }

    [Property]
    public bool ScramServerFirst_NearValid_ThrowsOnlySaslException(string? nonceSuffix, string? salt,
        string? iterations)
    {
        string message = "r=" + ClientNonce + (nonceSuffix ?? "") + ",s=" + (salt ?? "") + ",i=" + (iterations ?? "");
        return OnlySaslException(Encoding.UTF8.GetBytes(message));
    }

    [Property]
    public bool ScramServerFinal_ThrowsOnlySaslException(byte[] bytes)
    {
        var mechanism = new ScramSha1Mechanism("user", "pencil", ClientNonce);
        using SaslResponse first = CreateInitial(mechanism);
        using SaslResponse final = mechanism.EvaluateChallenge(
            Ascii("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"));
        try
        {
            using SaslResponse answer = mechanism.EvaluateChallenge(bytes);
            return mechanism.IsServerVerified;
        }
        catch (SaslException)
        {
            return !mechanism.IsServerVerified;
        }
    }

    private static bool OnlySaslException(byte[] serverFirst)
    {
        var mechanism = new ScramSha256Mechanism("user", "pencil", ClientNonce);
        using SaslResponse first = CreateInitial(mechanism);
        try
        {
            using SaslResponse final = mechanism.EvaluateChallenge(serverFirst);
            return final.Length > 0;
        }
        catch (SaslException)
        {
            return true;
        }
    }
}
