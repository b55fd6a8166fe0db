using System.Buffers;
using System.Text;

namespace RawMail.Transport;

/// <summary>
/// Checks for text that goes to the wire and escaping for text that comes from it.
/// </summary>
public static class ProtocolText
{
    private static readonly SearchValues<char> s_forbiddenChars = SearchValues.Create("\r\n\0");
    private static readonly SearchValues<byte> s_forbiddenBytes = SearchValues.Create("\r\n\0"u8);

    /// <summary>
    /// Throws <see cref="ArgumentException"/> when <paramref name="value"/> contains CR, LF or NUL. Call it on
    /// every caller-supplied argument before any byte of the command is written, because a line break in an
    /// argument would let the caller's data inject a second command.
    /// </summary>
    public static void ThrowIfContainsLineBreakOrNul(string value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        int index = value.AsSpan().IndexOfAny(s_forbiddenChars);
        if (index >= 0)
        {
            ThrowForbiddenCharacter(index, paramName);
        }
    }

    /// <inheritdoc cref="ThrowIfContainsLineBreakOrNul(string, string)"/>
    public static void ThrowIfContainsLineBreakOrNul(ReadOnlySpan<byte> value, string paramName)
    {
        int index = value.IndexOfAny(s_forbiddenBytes);
        if (index >= 0)
        {
            ThrowForbiddenCharacter(index, paramName);
        }
    }

    /// <summary>
    /// Converts server or client bytes to printable text: printable ASCII stays, a backslash becomes \\,
    /// everything else becomes \r, \n, \t or \xNN. The result is cut to <paramref name="maxLength"/>
    /// characters and then ends with "...".
    /// </summary>
    public static string Escape(ReadOnlySpan<byte> bytes, int maxLength = int.MaxValue)
    {
        var builder = new StringBuilder(Math.Min(bytes.Length, Math.Min(maxLength, 1024)) + 3);
        AppendEscaped(builder, bytes, maxLength);
        return builder.ToString();
    }

    /// <summary>Escapes a string the same way as the byte overload; each char above U+007E becomes \uNNNN.</summary>
    public static string Escape(string text, int maxLength = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(Math.Min(text.Length, Math.Min(maxLength, 1024)) + 3);
        foreach (char c in text)
        {
            if (builder.Length >= maxLength)
            {
                builder.Append("...");
                break;
            }

            if (c is >= ' ' and <= '~' and not '\\')
            {
                builder.Append(c);
            }
            else if (c <= 0xFF)
            {
                AppendEscapedByte(builder, (byte)c);
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    internal static void AppendEscaped(StringBuilder builder, ReadOnlySpan<byte> bytes, int maxLength)
    {
        int limit = builder.Length + maxLength;
        foreach (byte b in bytes)
        {
            if (builder.Length >= limit)
            {
                builder.Append("...");
                return;
            }

            if (b is >= (byte)' ' and <= (byte)'~' and not (byte)'\\')
            {
                builder.Append((char)b);
            }
            else
            {
                AppendEscapedByte(builder, b);
            }
        }
    }

    private static void AppendEscapedByte(StringBuilder builder, byte b)
    {
        switch (b)
        {
            case (byte)'\r':
                builder.Append("\\r");
                break;
            case (byte)'\n':
                builder.Append("\\n");
                break;
            case (byte)'\t':
                builder.Append("\\t");
                break;
            case (byte)'\\':
                builder.Append("\\\\");
                break;
            default:
                builder.Append("\\x").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void ThrowForbiddenCharacter(int index, string paramName)
    {
        throw new ArgumentException(
            $"The value contains CR, LF or NUL at index {index}; these characters cannot appear in a command argument.",
            paramName);
    }
}
