using System.Text;

namespace RawMail.Sasl;

/// <summary>
/// The saslname encoding that GS2 headers (RFC 5801 section 4) and SCRAM user names (RFC 5802
/// section 5.1) use, so a ',' in a name cannot end the attribute.
/// </summary>
public static class SaslName
{
    /// <summary>Escapes ',' as "=2C" and '=' as "=3D", the saslname encoding of RFC 5801 section 4.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny(',', '=') < 0)
        {
            return value;
        }

        return value.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);
    }

    /// <summary>
    /// Reverses <see cref="Escape"/>. Returns false when the text has a bare ',' or an '='
    /// not followed by "2C" or "3D".
    /// </summary>
    public static bool TryUnescape(ReadOnlySpan<char> value, out string unescaped)
    {
        var builder = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == ',')
            {
                unescaped = string.Empty;
                return false;
            }

            if (c != '=')
            {
                builder.Append(c);
                continue;
            }

            ReadOnlySpan<char> code = value.Length - i >= 3 ? value.Slice(i + 1, 2) : [];
            if (code.SequenceEqual("2C"))
            {
                builder.Append(',');
            }
            else if (code.SequenceEqual("3D"))
            {
                builder.Append('=');
            }
            else
            {
                unescaped = string.Empty;
                return false;
            }

            i += 2;
        }

        unescaped = builder.ToString();
        return true;
    }
}
