using System.Net;
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RawMail.OAuth2.Tests;

public sealed class PropertyTests
{
    private const string Unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    private static string ReferenceChallenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool IsWellFormed(string value)
    {
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(value);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    [Property]
    public bool VerifierAlphabetAndLength(byte seed)
    {
        int length = Pkce.MinVerifierLength + (seed % (Pkce.MaxVerifierLength - Pkce.MinVerifierLength + 1));

        Pkce pkce = Pkce.Create(PkceMethod.S256, length);

        return pkce.Verifier.Length == length
            && pkce.Verifier.All(c => Unreserved.Contains(c, StringComparison.Ordinal))
            && pkce.Challenge == ReferenceChallenge(pkce.Verifier);
    }

    [Property]
    public Property ChallengeMatchesReference()
    {
        Arbitrary<string> verifiers = Gen.Choose(Pkce.MinVerifierLength, Pkce.MaxVerifierLength)
            .SelectMany(length => Gen.Elements(Unreserved.ToCharArray()).ArrayOf(length))
            .Select(chars => new string(chars))
            .ToArbitrary();

        return Prop.ForAll(verifiers, verifier =>
            Pkce.FromVerifier(verifier).Challenge == ReferenceChallenge(verifier)
            && Pkce.FromVerifier(verifier, PkceMethod.Plain).Challenge == verifier);
    }

    [Property]
    public bool TokenJsonRoundTrip(
        NonNull<string> accessToken, string? refreshToken, string? idToken, long expiresAtSeconds, string[]? scopes)
    {
        string[] scopeValues = (scopes ?? []).Where(s => s is not null).ToArray();
        if (!IsWellFormed(accessToken.Get) || !IsWellFormed(refreshToken ?? "") || !IsWellFormed(idToken ?? "")
            || !scopeValues.All(IsWellFormed))
        {
            // JSON text is UTF-8, so a lone surrogate cannot survive the trip; tokens are ASCII.
            return true;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(expiresAtSeconds, 0, 253402300799));
        var token = new OAuth2Token
        {
            AccessToken = accessToken.Get,
            RefreshToken = refreshToken,
            IdToken = idToken,
            ExpiresAt = expiresAt,
            Scopes = scopeValues,
            ExtraFields = new Dictionary<string, string> { ["x"] = accessToken.Get },
        };

        OAuth2Token copy = OAuth2Token.FromJson(token.ToJson());

        return copy.AccessToken == token.AccessToken
            && copy.RefreshToken == token.RefreshToken
            && copy.IdToken == token.IdToken
            && copy.ExpiresAt == token.ExpiresAt
            && copy.Scopes.SequenceEqual(token.Scopes)
            && copy.ExtraFields["x"] == accessToken.Get;
    }

    [Property]
    public bool FormEncodingRoundTrip(NonNull<string> name, NonNull<string> value)
    {
        if (!IsWellFormed(name.Get) || !IsWellFormed(value.Get) || name.Get.Length == 0)
        {
            return true;
        }

        string encoded = FormUrlEncoding.Encode([new(name.Get, value.Get)]);
        List<KeyValuePair<string, string>> decoded = FormUrlEncoding.Decode(encoded);

        return decoded.Count == 1 && decoded[0].Key == name.Get && decoded[0].Value == value.Get
            && encoded.All(c => c is > ' ' and < '\u007f');
    }

    [Property]
    public bool TokenResponseNeverCrashes(byte[] body, bool json)
    {
        try
        {
            TokenResponse.Parse(
                HttpStatusCode.OK, json ? "application/json" : "application/x-www-form-urlencoded", body, DateTimeOffset.UnixEpoch, []);
        }
        catch (OAuth2Exception)
        {
        }

        return true;
    }

    [Property]
    public bool RedirectParserEverySplit(NonNull<string> query)
    {
        string request = $"GET /cb?{Uri.EscapeDataString(query.Get)} HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: */*\r\n\r\n";
        byte[] bytes = Encoding.UTF8.GetBytes(request);
        if (!IsWellFormed(query.Get) || bytes.Length >= RedirectRequestParser.MaxHeadLength)
        {
            return true;
        }

        RedirectParseStatus whole = RedirectRequestParser.TryParse(bytes, out RedirectRequest expected);
        for (int split = 0; split < bytes.Length; split++)
        {
            if (RedirectRequestParser.TryParse(bytes.AsSpan(0, split), out _) != RedirectParseStatus.NeedMoreData)
            {
                return false;
            }
        }

        return whole == RedirectParseStatus.Complete && expected.Host == "127.0.0.1:8080" && expected.Method == "GET";
    }

    [Property]
    public bool RedirectParserArbitraryBytes(byte[] bytes)
    {
        RedirectParseStatus status = RedirectRequestParser.TryParse(bytes, out _);

        return Enum.IsDefined(status);
    }

    [Fact]
    public void RedirectParserRejectsOversizedHead()
    {
        byte[] bytes = new byte[RedirectRequestParser.MaxHeadLength];
        bytes.AsSpan().Fill((byte)'a');

        Assert.Equal(RedirectParseStatus.Invalid, RedirectRequestParser.TryParse(bytes, out _));
    }

    [Fact]
    public void RedirectParserRejectsTwoHosts()
    {
        byte[] bytes = "GET / HTTP/1.1\r\nHost: 127.0.0.1:1\r\nHost: evil\r\n\r\n"u8.ToArray();

        Assert.Equal(RedirectParseStatus.Invalid, RedirectRequestParser.TryParse(bytes, out _));
    }
}
