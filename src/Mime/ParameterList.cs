using System.Globalization;
using System.Text;

namespace RawMail.Mime;

/// <summary>One Content-Type or Content-Disposition parameter, with its decoded value.</summary>
public sealed record MimeParameter(string Name, string Value);

/// <summary>
/// Ordered parameters of a structured MIME header. Names compare case-insensitively; RFC 2231
/// sections and charsets are joined and decoded on parsing.
/// </summary>
public sealed class ParameterList : List<MimeParameter>
{
    /// <summary>Maximum RFC 2231 sections read for one parameter; later ones are ignored.</summary>
    public const int MaxSections = 4096;

    /// <summary>Returns the value of a parameter, or null.</summary>
    public string? this[string name]
    {
        get => Find(name)?.Value;
        set
        {
            int index = FindIndex(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (value is null)
            {
                if (index >= 0)
                {
                    RemoveAt(index);
                }

                return;
            }

            HeaderValidation.Check(name, value);
            var parameter = new MimeParameter(name, value);
            if (index >= 0)
            {
                this[index] = parameter;
            }
            else
            {
                Add(parameter);
            }
        }
    }

    private MimeParameter? Find(string name) =>
        Find(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses parameters from the text after the first ';'.</summary>
    public static ParameterList Parse(ReadOnlySpan<char> text)
    {
        var raw = new List<(string Name, string Value)>();
        var reader = new HeaderReader(text);
        while (!reader.AtEnd)
        {
            reader.SkipCfws();
            if (reader.AtEnd)
            {
                break;
            }

            if (reader.Current == ';')
            {
                reader.Position++;
                continue;
            }

            string name = reader.ReadUntil("=;");
            reader.SkipCfws();
            if (reader.AtEnd || reader.Current != '=')
            {
                SkipToSemicolon(ref reader);
                continue;
            }

            reader.Position++;
            reader.SkipCfws();
            string value = ReadValue(ref reader);
            if (name.Length > 0)
            {
                raw.Add((name, value));
            }
        }

        return Combine(raw);
    }

    private static string ReadValue(ref HeaderReader reader)
    {
        if (!reader.AtEnd && reader.Current == '"')
        {
            return reader.ReadQuotedString();
        }

        // Note: unquoted values with spaces are common from old mailers, so read to the ';'.
        return reader.ReadToSemicolon().TrimEnd().ToString();
    }

    private static void SkipToSemicolon(ref HeaderReader reader)
    {
        while (!reader.AtEnd && reader.Current != ';')
        {
            reader.Position++;
        }
    }

    private static ParameterList Combine(List<(string Name, string Value)> raw)
    {
        var result = new ParameterList();
        Dictionary<string, SortedDictionary<int, (string Value, bool Extended)>>? sectioned = null;
        List<string>? order = null;
        foreach ((string name, string value) in raw)
        {
            int star = name.IndexOf('*', StringComparison.Ordinal);
            if (star < 0)
            {
                if (result.Find(name) is null)
                {
                    result.Add(new MimeParameter(name, EncodedWordDecoder.Decode(value)));
                }

                continue;
            }

            string baseName = name[..star];
            string rest = name[(star + 1)..];
            bool extended = rest.EndsWith('*') || rest.Length == 0;
            string number = rest.TrimEnd('*');
            if (!int.TryParse(number.Length == 0 ? "0" : number, NumberStyles.None, CultureInfo.InvariantCulture,
                out int index))
            {
                continue;
            }

            sectioned ??= new(StringComparer.OrdinalIgnoreCase);
            if (!sectioned.TryGetValue(baseName, out var sections))
            {
                sections = [];
                sectioned[baseName] = sections;
                (order ??= []).Add(baseName);
            }

            if (sections.Count < MaxSections)
            {
                sections.TryAdd(index, (value, extended));
            }
        }

        foreach (string name in order ?? [])
        {
            string value = JoinSections(sectioned![name]);
            result.RemoveAll(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            result.Add(new MimeParameter(name, value));
        }

        return result;
    }

    // RFC 2231 sections 3 and 4: the charset comes only from section 0 and applies to every
    // extended section. The octets of all sections are joined, then decoded once.
    private static string JoinSections(SortedDictionary<int, (string Value, bool Extended)> sections)
    {
        bool anyExtended = sections.Values.Any(s => s.Extended);
        if (!anyExtended)
        {
            // Note: some mailers put an RFC 2047 word split across plain sections; join, then decode.
            return EncodedWordDecoder.Decode(string.Concat(sections.Values.Select(s => s.Value)));
        }

        string? charset = null;
        var bytes = new List<byte>();
        bool first = true;
        foreach ((string value, bool extended) in sections.Values)
        {
            string text = value;
            if (first && extended)
            {
                int quote = text.IndexOf('\'', StringComparison.Ordinal);
                int secondQuote = quote < 0 ? -1 : text.IndexOf('\'', quote + 1);
                if (secondQuote >= 0)
                {
                    charset = text[..quote];
                    text = text[(secondQuote + 1)..];
                }
            }

            first = false;
            if (extended)
            {
                Rfc2231.PercentDecode(text, bytes);
            }
            else
            {
                foreach (char c in text)
                {
                    Rfc2231.AppendChar(bytes, c);
                }
            }
        }

        return Charsets.Decode(bytes.ToArray(), charset, out _);
    }

    /// <summary>Appends the parameters in wire form, "; name=value" each, ready for folding.</summary>
    internal void AppendTo(StringBuilder header)
    {
        foreach (MimeParameter parameter in this)
        {
            foreach (string formatted in Rfc2231.Format(parameter.Name, parameter.Value))
            {
                header.Append("; ").Append(formatted);
            }
        }
    }
}
