using System.Security.Cryptography;
using System.Text;

namespace RawMail.Protocols.Pop3;

/// <summary>The APOP timestamp in a greeting and the digest computed from it (RFC 1939 section 7).</summary>
internal static class ApopDigest
{
    /// <summary>
    /// Finds the first msg-id, "&lt;" local "@" domain "&gt;", anywhere in the greeting text. Angle brackets
    /// around something else, such as a host name in "&lt;mail.example.net&gt;", are not a timestamp: treating
    /// them as one makes APOP fail against servers that never offered it.
    /// </summary>
    public static string? FindTimestamp(ReadOnlySpan<byte> greeting)
    {
        int offset = 0;
        while (offset < greeting.Length)
        {
            int open = greeting[offset..].IndexOf((byte)'<');
            if (open < 0)
            {
                return null;
            }

            open += offset;
            int close = greeting[open..].IndexOf((byte)'>');
            if (close < 0)
            {
                return null;
            }

            close += open;
            ReadOnlySpan<byte> inner = greeting[(open + 1)..close];
            if (IsMessageIdContent(inner))
            {
                return Encoding.ASCII.GetString(greeting[open..(close + 1)]);
            }

            offset = open + 1;
        }

        return null;
    }

    /// <summary>Computes the lowercase hex MD5 of the timestamp followed by the password.</summary>
    public static string Compute(string timestamp, string password)
    {
        byte[] input = Encoding.UTF8.GetBytes(timestamp + password);
        try
        {
#pragma warning disable CA5351 // RFC 1939 section 7 defines APOP with MD5; the caller opts in through AllowApop.
            return Convert.ToHexStringLower(MD5.HashData(input));
#pragma warning restore CA5351
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    // A msg-id contains printable ASCII without spaces or another "<", with an "@" between a non-empty local part
    // and a non-empty domain (RFC 5322 section 3.6.4, simplified).
    private static bool IsMessageIdContent(ReadOnlySpan<byte> inner)
    {
        if (inner.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0 || inner.Contains((byte)'<'))
        {
            return false;
        }

        int at = inner.LastIndexOf((byte)'@');
        return at > 0 && at < inner.Length - 1;
    }
}
