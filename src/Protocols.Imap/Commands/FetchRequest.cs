using System.Globalization;
using System.Text;
using RawMail.Transport;

namespace RawMail.Protocols.Imap;

/// <summary>The FETCH data items without arguments (RFC 9051 section 6.4.5, RFC 7162 MODSEQ).</summary>
[Flags]
public enum FetchItems
{
    None = 0,
    Uid = 1,
    Flags = 2,
    InternalDate = 4,
    Size = 8,
    Envelope = 16,
    BodyStructure = 32,
    ModSeq = 64,

    /// <summary>UID, FLAGS, INTERNALDATE and RFC822.SIZE.</summary>
    Summary = Uid | Flags | InternalDate | Size,
}

/// <summary>
/// One body item to fetch: <c>BODY[section]&lt;start.length&gt;</c>, <c>BODY.PEEK[...]</c> or <c>BINARY[...]</c>.
/// </summary>
/// <param name="Section">The section text, for example "", "1.2", "HEADER" or "HEADER.FIELDS (SUBJECT)".</param>
/// <param name="Peek">Leaves \Seen unchanged (RFC 9051 section 6.4.5, BODY.PEEK and BINARY.PEEK).</param>
/// <param name="Binary">Asks the server to undo the content transfer encoding (RFC 3516).</param>
/// <param name="Start">The first octet of a partial fetch.</param>
/// <param name="Length">The number of octets of a partial fetch; needs <paramref name="Start"/>.</param>
public sealed record FetchBodyRequest(string Section = "", bool Peek = true, bool Binary = false, uint? Start = null,
    uint? Length = null)
{
    internal string Format()
    {
        ProtocolText.ThrowIfContainsLineBreakOrNul(Section, nameof(Section));
        foreach (char c in Section)
        {
            if (c is < ' ' or > '~' or '[' or ']' or '{' or '"' or '\\')
            {
                throw new ArgumentException($"'{ProtocolText.Escape(Section, 64)}' is not a section specifier.",
                    nameof(Section));
            }
        }

        var builder = new StringBuilder(Binary ? "BINARY" : "BODY");
        builder.Append(Peek ? ".PEEK[" : "[").Append(Section).Append(']');
        if (Start is { } start)
        {
            builder.Append('<').Append(start.ToString(CultureInfo.InvariantCulture));
            if (Length is { } length)
            {
                builder.Append('.').Append(length.ToString(CultureInfo.InvariantCulture));
            }

            builder.Append('>');
        }

        return builder.ToString();
    }
}

/// <summary>The items a FETCH requests: data items, body items and the CONDSTORE CHANGEDSINCE modifier.</summary>
public sealed class FetchRequest
{
    public FetchRequest(FetchItems items, params FetchBodyRequest[] bodies)
    {
        Items = items;
        Bodies = bodies;
    }

    public FetchItems Items { get; }

    public IReadOnlyList<FetchBodyRequest> Bodies { get; }

    /// <summary>Only messages whose mod-sequence is above this value (RFC 7162 section 3.1.4.1).</summary>
    public ulong? ChangedSince { get; init; }

    /// <summary>
    /// Adds the VANISHED modifier to CHANGEDSINCE, so that a UID FETCH also reports the expunged UIDs
    /// (RFC 7162 section 3.2.6). It needs QRESYNC enabled.
    /// </summary>
    public bool Vanished { get; init; }

    internal string Format()
    {
        var names = new List<string>();
        Add(names, FetchItems.Uid, "UID");
        Add(names, FetchItems.Flags, "FLAGS");
        Add(names, FetchItems.InternalDate, "INTERNALDATE");
        Add(names, FetchItems.Size, "RFC822.SIZE");
        Add(names, FetchItems.Envelope, "ENVELOPE");
        Add(names, FetchItems.BodyStructure, "BODYSTRUCTURE");
        Add(names, FetchItems.ModSeq, "MODSEQ");
        names.AddRange(Bodies.Select(static b => b.Format()));
        if (names.Count == 0)
        {
            throw new InvalidOperationException("A FETCH needs at least one item.");
        }

        string text = "(" + string.Join(' ', names) + ")";
        if (ChangedSince is { } changedSince)
        {
            text += " (CHANGEDSINCE " + changedSince.ToString(CultureInfo.InvariantCulture)
                + (Vanished ? " VANISHED)" : ")");
        }
        else if (Vanished)
        {
            throw new InvalidOperationException("VANISHED needs CHANGEDSINCE (RFC 7162 section 3.2.6).");
        }

        return text;
    }

    private void Add(List<string> names, FetchItems item, string name)
    {
        if ((Items & item) != 0)
        {
            names.Add(name);
        }
    }
}
