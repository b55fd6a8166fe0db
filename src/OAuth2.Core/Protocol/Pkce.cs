using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace RawMail.OAuth2;

/// <summary>A PKCE code verifier and its challenge (RFC 7636 4.1 and 4.2).</summary>
public sealed class Pkce
{
    private const string UnreservedAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    private static readonly SearchValues<char> s_unreserved = SearchValues.Create(UnreservedAlphabet);

    public const int MinVerifierLength = 43;

    public const int MaxVerifierLength = 128;

    private Pkce(string verifier, PkceMethod method)
    {
        Verifier = verifier;
        Method = method;
        Challenge = method == PkceMethod.Plain ? verifier : ComputeS256Challenge(verifier);
    }

    public string Verifier { get; }

    public string Challenge { get; }

    public PkceMethod Method { get; }

    /// <summary>The <c>code_challenge_method</c> value.</summary>
    public string MethodName => Method == PkceMethod.Plain ? "plain" : "S256";

    /// <summary>
    /// Creates a verifier of <paramref name="length"/> characters drawn uniformly from the unreserved set.
    /// </summary>
    public static Pkce Create(PkceMethod method = PkceMethod.S256, int length = 64)
    {
        if (method == PkceMethod.Disabled)
        {
            throw new ArgumentException("PKCE is disabled, so there is no verifier to create.", nameof(method));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(length, MinVerifierLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxVerifierLength);
        string verifier = RandomNumberGenerator.GetString(UnreservedAlphabet, length);
        return new Pkce(verifier, method);
    }

    /// <summary>Wraps a known verifier, for tests and for resuming a stored request.</summary>
    public static Pkce FromVerifier(string verifier, PkceMethod method = PkceMethod.S256)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        if (verifier.Length is < MinVerifierLength or > MaxVerifierLength || !IsUnreserved(verifier))
        {
            throw new ArgumentException(
                "A PKCE verifier has 43 to 128 characters from A-Z, a-z, 0-9, '-', '.', '_' and '~'.",
                nameof(verifier));
        }

        return new Pkce(verifier, method);
    }

    /// <summary>Computes BASE64URL(SHA256(ASCII(verifier))) without padding.</summary>
    public static string ComputeS256Challenge(string verifier)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.ASCII.GetBytes(verifier), hash);
        return Base64Url.EncodeToString(hash);
    }

    /// <summary>Returns 32 random bytes as base64url, for <c>state</c>, <c>nonce</c> and <c>jti</c>.</summary>
    internal static string CreateRandomValue()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    internal static bool IsUnreserved(string value) =>
        value.AsSpan().IndexOfAnyExcept(s_unreserved) < 0;
}
