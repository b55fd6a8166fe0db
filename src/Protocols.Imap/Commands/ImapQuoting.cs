using System.Text;

namespace RawMail.Protocols.Imap.Commands;

/// <summary>The character classes of RFC 9051 section 9 that decide how a string goes on the wire.</summary>
internal static class ImapQuoting
{
    /// <summary>
    /// True when <paramref name="value"/> is an astring without quoting: ASTRING-CHAR is any printable ASCII
    /// character except the atom-specials <c>( ) { SP % * " \</c>, and <c>]</c> is allowed.
    /// </summary>
    public static bool IsAString(string value)
    {
        if (value.Length == 0 || value.Equals("NIL", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!IsAtomChar(c) && c != ']')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when every character is an ATOM-CHAR, so the value can be sent as an atom.</summary>
    public static bool IsAtom(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!IsAtomChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when a quoted string can carry the value: 7-bit text, or UTF-8 when UTF8=ACCEPT is enabled
    /// (RFC 6855 section 3). Quoted strings have no length limit in the grammar, but long values go as literals
    /// so that a server's line limit is not hit.
    /// </summary>
    public static bool IsQuotable(string value, bool utf8)
    {
        if (value.Length > 1024)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c is '\r' or '\n' or '\0' || (c > 0x7F && !utf8))
            {
                return false;
            }
        }

        return true;
    }

    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (char c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }

    public static bool IsAscii(string value)
    {
        foreach (char c in value)
        {
            if (c > 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAtomChar(char c)
    {
        return c is > ' ' and < (char)0x7F and not ('(' or ')' or '{' or '%' or '*' or '"' or '\\' or ']');
    }
}
