using System.Text;

namespace RawMail.Mime;

/// <summary>An address in an address list: a mailbox or a group (RFC 5322 section 3.4).</summary>
public abstract class InternetAddress
{
    /// <summary>Formats the address for a header, encoding non-ASCII display names (RFC 2047).</summary>
    public abstract string ToHeaderString();

    /// <summary>Every mailbox, with group members expanded.</summary>
    public abstract IEnumerable<MailboxAddress> Mailboxes { get; }

    /// <summary>Formats a phrase: as atoms, a quoted-string, or encoded-words when non-ASCII.</summary>
    internal static string FormatPhrase(string phrase)
    {
        if (EncodedWord.NeedsEncoding(phrase))
        {
            return EncodedWord.Encode(phrase, EncodedWordContext.Phrase);
        }

        bool atoms = phrase.Length > 0 && !phrase.StartsWith(' ') && !phrase.EndsWith(' ')
            && !phrase.Contains("  ", StringComparison.Ordinal)
            && !phrase.Contains("=?", StringComparison.Ordinal)
            && phrase.All(c => c == ' ' || IsAtext(c));
        if (atoms)
        {
            return phrase;
        }

        var quoted = new StringBuilder("\"");
        foreach (char c in phrase)
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\');
            }

            quoted.Append(c);
        }

        return quoted.Append('"').ToString();
    }

    // RFC 5322 section 3.2.3.
    internal static bool IsAtext(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~".Contains(c, StringComparison.Ordinal);

    public override string ToString() => ToHeaderString();
}

/// <summary>A mailbox: optional display name and an addr-spec. IDN domains are kept as given.</summary>
public sealed class MailboxAddress : InternetAddress, IEquatable<MailboxAddress>
{
    public MailboxAddress(string? name, string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        HeaderValidation.Check("address", address);
        HeaderValidation.Check("display name", name);
        Name = string.IsNullOrEmpty(name) ? null : name;
        Address = address;
    }

    public MailboxAddress(string address)
        : this(null, address)
    {
    }

    public string? Name { get; }

    public string Address { get; }

    public override IEnumerable<MailboxAddress> Mailboxes => [this];

    public override string ToHeaderString()
    {
        string address = FormatAddress(Address);
        return Name is null ? address : FormatPhrase(Name) + " <" + address + ">";
    }

    /// <summary>Quotes the local part when it is not a dot-atom (RFC 5322 section 3.4.1).</summary>
    private static string FormatAddress(string address)
    {
        int at = address.LastIndexOf('@');
        if (at <= 0)
        {
            return address;
        }

        string local = address[..at];
        bool dotAtom = !local.StartsWith('.') && !local.EndsWith('.')
            && !local.Contains("..", StringComparison.Ordinal)
            && local.All(c => c == '.' || c > '~' || IsAtext(c));
        if (dotAtom)
        {
            return address;
        }

        string escaped = local.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal);
        return "\"" + escaped + "\"" + address[at..];
    }

    public bool Equals(MailboxAddress? other) =>
        other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && string.Equals(Address, other.Address, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as MailboxAddress);

    public override int GetHashCode() => HashCode.Combine(Name, Address);
}

/// <summary>A named group of mailboxes, "Name: a, b;" (RFC 5322 section 3.4).</summary>
public sealed class GroupAddress : InternetAddress
{
    public GroupAddress(string name, IEnumerable<MailboxAddress> members)
    {
        HeaderValidation.Check("group name", name);
        Name = name;
        Members = members.ToList();
    }

    public string Name { get; }

    public IReadOnlyList<MailboxAddress> Members { get; }

    public override IEnumerable<MailboxAddress> Mailboxes => Members;

    public override string ToHeaderString() =>
        FormatPhrase(Name) + ": " + string.Join(", ", Members.Select(m => m.ToHeaderString())) + ";";
}
