using System.Buffers;
using System.Globalization;
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
    /// everything else becomes \r, \n, \t or \xNN. Text longer than <paramref name="maxLength"/> characters is
    /// cut there and ends with "...".
    /// </summary>
    public static string Escape(ReadOnlySpan<byte> bytes, int maxLength = int.MaxValue)
    {
        var builder = new StringBuilder(Math.Min(bytes.Length, Math.Min(maxLength, 1024)) + 3);
        AppendEscaped(builder, bytes, maxLength);
        return builder.ToString();
    }

    /// <summary>Escapes a string the same way as the byte overload; each char above U+00FF becomes \uNNNN.</summary>
    public static string Escape(string text, int maxLength = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(Math.Min(text.Length, Math.Min(maxLength, 1024)) + 3);
        foreach (char c in text)
        {
            string? escaped = c switch
            {
                >= ' ' and <= '~' and not '\\' => null,
                <= (char)0xFF => EscapeByte((byte)c),
                _ => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
            };

            if (builder.Length + (escaped?.Length ?? 1) > maxLength)
            {
                builder.Append("...");
                break;
            }

            if (escaped is null)
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(escaped);
            }
        }

        return builder.ToString();
    }

    /// <summary>Appends the escaped bytes; the appended text stays within maxLength characters plus "...".</summary>
    internal static void AppendEscaped(StringBuilder builder, ReadOnlySpan<byte> bytes, int maxLength)
    {
        long limit = (long)builder.Length + maxLength;
        foreach (byte b in bytes)
        {
            bool printable = b is >= (byte)' ' and <= (byte)'~' and not (byte)'\\';
            string? escaped = printable ? null : EscapeByte(b);
            if (builder.Length + (escaped?.Length ?? 1) > limit)
            {
                builder.Append("...");
                return;
            }

            if (escaped is null)
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append(escaped);
            }
        }
    }

    private static string EscapeByte(byte b)
    {
        return b switch
        {
            (byte)'\r' => "\\r",
            (byte)'\n' => "\\n",
            (byte)'\t' => "\\t",
            (byte)'\\' => "\\\\",
            _ => "\\x" + b.ToString("X2", CultureInfo.InvariantCulture),
        };
    }

    private static void ThrowForbiddenCharacter(int index, string paramName)
    {
        throw new ArgumentException(
            $"The value contains CR, LF or NUL at index {index}; these characters cannot appear in a command argument.",
            paramName);
    }
}
