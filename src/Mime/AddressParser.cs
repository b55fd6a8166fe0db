using System.Text;

namespace RawMail.Mime;

/// <summary>
/// Lenient address-list parsing (RFC 5322 section 3.4, with the obsolete forms of section 4.4):
/// quoted and encoded display names, comments as names, groups, and source routes.
/// </summary>
public static class AddressParser
{
    /// <summary>Parses an address list. Unreadable entries are kept as a mailbox of their text.</summary>
    public static IReadOnlyList<InternetAddress> ParseList(string value)
    {
        var result = new List<InternetAddress>();
        var reader = new HeaderReader(value);
        while (!reader.AtEnd)
        {
            InternetAddress? address = ParseOne(ref reader);
            if (address is not null)
            {
                result.Add(address);
            }
        }

        return result;
    }

    /// <summary>Parses the list and returns its mailboxes, group members included.</summary>
    public static List<MailboxAddress> ParseMailboxes(string value) =>
        ParseList(value).SelectMany(a => a.Mailboxes).ToList();

    private static InternetAddress? ParseOne(ref HeaderReader reader)
    {
        var phrase = new List<(string Text, bool Quoted)>();
        string? comment = null;
        while (!reader.AtEnd)
        {
            comment = reader.SkipCfws() ?? comment;
            if (reader.AtEnd)
            {
                break;
            }

            char c = reader.Current;
            if (c == ',')
            {
                reader.Position++;
                break;
            }

            if (c == '<')
            {
                reader.Position++;
                string address = ReadAngleAddress(ref reader);
                SkipToListEnd(ref reader);
                return Mailbox(JoinPhrase(phrase), address);
            }

            if (c == ':')
            {
                reader.Position++;
                return ParseGroup(ref reader, JoinPhrase(phrase));
            }

            if (c == ';')
            {
                reader.Position++;
                continue;
            }

            phrase.Add(c == '"' ? (reader.ReadQuotedString(), true) : (ReadWord(ref reader), false));
        }

        if (phrase.Count == 0)
        {
            return null;
        }

        // A bare addr-spec joins its words without spaces. An old-style "(Name)" comment is the name.
        string spec = string.Concat(phrase.Select(w => w.Text));
        return Mailbox(comment is null ? null : EncodedWordDecoder.Decode(comment.Trim()), spec);
    }

    private static GroupAddress ParseGroup(ref HeaderReader reader, string? name)
    {
        var members = new List<MailboxAddress>();
        var inner = new StringBuilder();
        int depth = 0;
        while (!reader.AtEnd)
        {
            char c = reader.Current;
            if (c == '"')
            {
                int start = reader.Position;
                reader.ReadQuotedString();
                inner.Append(ReadSlice(ref reader, start));
                continue;
            }

            reader.Position++;
            if (c == '<')
            {
                depth++;
            }
            else if (c == '>')
            {
                depth--;
            }
            else if (c == ';' && depth <= 0)
            {
                break;
            }

            inner.Append(c);
        }

        members.AddRange(ParseMailboxes(inner.ToString()));
        SkipToListEnd(ref reader);
        return new GroupAddress(Sanitize(name) ?? string.Empty, members);
    }

    private static string ReadSlice(ref HeaderReader reader, int start)
    {
        int end = reader.Position;
        reader.Position = start;
        var text = new StringBuilder();
        while (reader.Position < end)
        {
            text.Append(reader.Current);
            reader.Position++;
        }

        return text.ToString();
    }

    private static string ReadAngleAddress(ref HeaderReader reader)
    {
        var address = new StringBuilder();
        while (!reader.AtEnd)
        {
            reader.SkipCfws();
            if (reader.AtEnd)
            {
                break;
            }

            char c = reader.Current;
            if (c == '>')
            {
                reader.Position++;
                break;
            }

            if (c == ':')
            {
                // Obsolete source route "@a,@b:" before the addr-spec (RFC 5322 section 4.4).
                address.Clear();
                reader.Position++;
            }
            else if (c == '"')
            {
                address.Append('"').Append(reader.ReadQuotedString().Replace("\\", "\\\\", StringComparison.Ordinal)
                    .Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
            }
            else if (c == '[')
            {
                address.Append(reader.ReadDomainLiteral());
            }
            else
            {
                string word = reader.ReadUntil("<>\",:[(");
                address.Append(word.Length == 0 ? reader.Current.ToString() : word);
                if (word.Length == 0)
                {
                    reader.Position++;
                }
            }
        }

        return UnquoteLocalPart(address.ToString());
    }

    private static string UnquoteLocalPart(string address)
    {
        if (!address.StartsWith('"'))
        {
            return address;
        }

        int at = address.LastIndexOf('@');
        int quoteEnd = address.LastIndexOf('"');
        if (at < 0 || quoteEnd > at || quoteEnd <= 0)
        {
            return address;
        }

        var reader = new HeaderReader(address);
        return reader.ReadQuotedString() + address[at..];
    }

    private static string ReadWord(ref HeaderReader reader)
    {
        string word = reader.ReadUntil("<>\",:;(");
        if (word.Length == 0)
        {
            word = reader.Current.ToString();
            reader.Position++;
        }

        return word;
    }

    private static void SkipToListEnd(ref HeaderReader reader)
    {
        while (!reader.AtEnd)
        {
            reader.SkipCfws();
            if (reader.AtEnd)
            {
                break;
            }

            char c = reader.Current;
            if (c == '"')
            {
                reader.ReadQuotedString();
                continue;
            }

            reader.Position++;
            if (c == ',')
            {
                break;
            }
        }
    }

    private static string? JoinPhrase(List<(string Text, bool Quoted)> words)
    {
        if (words.Count == 0)
        {
            return null;
        }

        // Note: encoded-words inside quoted strings are decoded too, a common non-standard form.
        string joined = string.Join(" ", words.Select(w => w.Text));
        return EncodedWordDecoder.Decode(joined).Trim();
    }

    private static MailboxAddress Mailbox(string? name, string address)
    {
        return new MailboxAddress(Sanitize(name), Sanitize(address) ?? string.Empty);
    }

    // Parsed text never carries line breaks into the model, so writing it back cannot inject lines.
    private static string? Sanitize(string? text) =>
        text is null ? null : new string(text.Select(c => c is '\r' or '\n' or '\0' ? ' ' : c).ToArray());
}
