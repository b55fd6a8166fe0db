using System.Text;

namespace RawMail.Mime;

/// <summary>Header folding and unfolding (RFC 5322 sections 2.1.1 and 2.2.3).</summary>
public static class HeaderFolding
{
    /// <summary>Preferred maximum line length, excluding CRLF.</summary>
    public const int PreferredLineLength = 78;

    /// <summary>Hard maximum line length, excluding CRLF.</summary>
    public const int MaxLineLength = 998;

    /// <summary>
    /// Returns "Name: value" folded by inserting CRLF before whitespace, so unfolding gives the
    /// unfolded line back. A line stays longer than 78 characters only where the value has no
    /// whitespace to fold at. The writer encodes such long words so lines stay under 998.
    /// </summary>
    public static string Fold(string name, string value)
    {
        var result = new StringBuilder(name.Length + value.Length + 8);
        result.Append(name).Append(':');
        int lineLength = result.Length;
        bool lineHasText = false;
        int position = 0;
        if (value.Length > 0)
        {
            result.Append(' ');
            lineLength++;
        }

        while (position < value.Length)
        {
            int segmentEnd = NextSegmentEnd(value, position);
            int segmentLength = segmentEnd - position;
            if (lineHasText && lineLength + segmentLength > PreferredLineLength && IsWhitespace(value[position]))
            {
                result.Append("\r\n");
                lineLength = 0;
            }

            result.Append(value, position, segmentLength);
            lineLength += segmentLength;
            lineHasText = true;
            position = segmentEnd;
        }

        return result.ToString();
    }

    /// <summary>Removes every CRLF that is followed by whitespace (RFC 5322 section 2.2.3).</summary>
    public static string Unfold(string text)
    {
        if (!text.Contains('\n', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];

            // Note: a bare LF counts as a line break too, because mail stored on Unix has them.
            bool crlf = c == '\r' && i + 1 < text.Length && text[i + 1] == '\n';
            int next = crlf ? i + 2 : i + 1;
            if ((crlf || c == '\n') && next < text.Length && IsWhitespace(text[next]))
            {
                i = next - 1;
                continue;
            }

            result.Append(c);
        }

        return result.ToString();
    }

    // A segment is leading whitespace followed by non-whitespace up to the next whitespace run.
    private static int NextSegmentEnd(string value, int position)
    {
        int i = position;
        while (i < value.Length && IsWhitespace(value[i]))
        {
            i++;
        }

        while (i < value.Length && !IsWhitespace(value[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t';
}
