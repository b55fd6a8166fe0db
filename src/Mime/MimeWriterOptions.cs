using System.Security.Cryptography;

namespace RawMail.Mime;

/// <summary>Generators the writer uses; tests inject fixed ones for byte-exact output.</summary>
public sealed class MimeWriterOptions
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>
    /// Returns a new boundary. The default starts with "=_", which base64 and quoted-printable
    /// output never contain, followed by 32 characters from a CSPRNG.
    /// </summary>
    public Func<string> BoundaryGenerator { get; init; } = () => "=_" + RandomString(32);

    /// <summary>
    /// Returns a Message-ID without angle brackets for a message that has none. The argument is
    /// the domain of the first From address, or "localhost" without one (RFC 5322 section 3.6.4).
    /// </summary>
    public Func<string, string> MessageIdGenerator { get; init; } = domain => RandomString(32) + "@" + domain;

    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.Now;

    /// <summary>
    /// Writes text parts with octets above 127 as 8bit instead of quoted-printable or base64, when
    /// their lines are at most 998 octets with CRLF line breaks and no NUL (RFC 2045 section 2.8).
    /// Off by default. Set it only when the message goes to an SMTP server that offers 8BITMIME and
    /// is sent with BODY=8BITMIME (RFC 6152).
    /// </summary>
    public bool AllowEightBitText { get; init; }

    /// <summary>Returns random characters from [A-Za-z0-9], drawn from a CSPRNG.</summary>
    public static string RandomString(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
