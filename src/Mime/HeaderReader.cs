using System.Text;

namespace RawMail.Mime;

/// <summary>Reads the lexical parts of structured header values (RFC 5322 section 3.2).</summary>
internal ref struct HeaderReader
{
    private readonly ReadOnlySpan<char> _text;

    public HeaderReader(ReadOnlySpan<char> text)
    {
        _text = text;
        Position = 0;
    }

    public int Position { get; set; }

    public readonly bool AtEnd => Position >= _text.Length;

    public readonly char Current => _text[Position];

    /// <summary>Skips whitespace and comments; returns the text of the last comment seen.</summary>
    public string? SkipCfws()
    {
        string? comment = null;
        while (!AtEnd)
        {
            char c = Current;
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                Position++;
            }
            else if (c == '(')
            {
                comment = ReadComment();
            }
            else
            {
                break;
            }
        }

        return comment;
    }

    /// <summary>Reads a comment with nesting and quoted pairs; an unclosed one runs to the end.</summary>
    public string ReadComment()
    {
        var text = new StringBuilder();
        int depth = 0;
        while (!AtEnd)
        {
            char c = _text[Position++];
            if (c == '\\' && !AtEnd)
            {
                text.Append(_text[Position++]);
                continue;
            }

            if (c == '(')
            {
                depth++;
                if (depth == 1)
                {
                    continue;
                }
            }
            else if (c == ')')
            {
                depth--;
                if (depth == 0)
                {
                    break;
                }
            }

            text.Append(c);
        }

        return text.ToString();
    }

    /// <summary>Reads a quoted-string starting at '"'; an unclosed one runs to the end.</summary>
    public string ReadQuotedString()
    {
        var text = new StringBuilder();
        Position++;
        while (!AtEnd)
        {
            char c = _text[Position++];
            if (c == '"')
            {
                break;
            }

            if (c == '\\' && !AtEnd)
            {
                c = _text[Position++];
            }

            // Folding inside a quoted-string is not part of the value (RFC 5322 section 3.2.4).
            if (c is not ('\r' or '\n'))
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    /// <summary>Reads characters until whitespace or one of <paramref name="stops"/>.</summary>
    public string ReadUntil(ReadOnlySpan<char> stops)
    {
        int start = Position;
        while (!AtEnd && Current is not (' ' or '\t' or '\r' or '\n') && stops.IndexOf(Current) < 0)
        {
            Position++;
        }

        return _text[start..Position].ToString();
    }

    /// <summary>Reads characters up to the next ';' or the end, whitespace included.</summary>
    public ReadOnlySpan<char> ReadToSemicolon()
    {
        ReadOnlySpan<char> rest = _text[Position..];
        int semicolon = rest.IndexOf(';');
        ReadOnlySpan<char> value = semicolon < 0 ? rest : rest[..semicolon];
        Position += value.Length;
        return value;
    }

    /// <summary>Reads a domain literal "[...]" whole, brackets included.</summary>
    public string ReadDomainLiteral()
    {
        int start = Position;
        while (!AtEnd)
        {
            char c = _text[Position++];
            if (c == ']')
            {
                break;
            }
        }

        return _text[start..Position].ToString();
    }
}
