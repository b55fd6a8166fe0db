using System.Globalization;
using RawMail.Protocols.Imap.Commands;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap;

/// <summary>
/// A SEARCH criterion (RFC 9051 section 6.4.4) built from typed parts, for example
/// <c>SearchQuery.Unseen.And(SearchQuery.From("alice"))</c>. String values are sent as quoted strings or literals;
/// non-ASCII values make the client add <c>CHARSET UTF-8</c>.
/// </summary>
public abstract class SearchQuery
{
    private protected SearchQuery()
    {
    }

    public static SearchQuery All { get; } = new KeyQuery("ALL");

    public static SearchQuery Seen { get; } = new KeyQuery("SEEN");

    public static SearchQuery Unseen { get; } = new KeyQuery("UNSEEN");

    public static SearchQuery Flagged { get; } = new KeyQuery("FLAGGED");

    public static SearchQuery Unflagged { get; } = new KeyQuery("UNFLAGGED");

    public static SearchQuery Answered { get; } = new KeyQuery("ANSWERED");

    public static SearchQuery Deleted { get; } = new KeyQuery("DELETED");

    public static SearchQuery Draft { get; } = new KeyQuery("DRAFT");

    public static SearchQuery From(string value) => new StringQuery("FROM", value);

    public static SearchQuery To(string value) => new StringQuery("TO", value);

    public static SearchQuery Cc(string value) => new StringQuery("CC", value);

    public static SearchQuery Subject(string value) => new StringQuery("SUBJECT", value);

    public static SearchQuery Body(string value) => new StringQuery("BODY", value);

    public static SearchQuery Text(string value) => new StringQuery("TEXT", value);

    /// <summary>Messages whose header <paramref name="name"/> contains <paramref name="value"/>.</summary>
    public static SearchQuery Header(string name, string value) => new HeaderQuery(name, value);

    public static SearchQuery Keyword(string keyword) => new AtomQuery("KEYWORD", keyword);

    public static SearchQuery NotKeyword(string keyword) => new AtomQuery("UNKEYWORD", keyword);

    /// <summary>Internal date on or after the day (time and zone are ignored, RFC 9051 section 6.4.4).</summary>
    public static SearchQuery Since(DateOnly date) => new KeyQuery("SINCE " + FormatDate(date));

    public static SearchQuery Before(DateOnly date) => new KeyQuery("BEFORE " + FormatDate(date));

    public static SearchQuery On(DateOnly date) => new KeyQuery("ON " + FormatDate(date));

    public static SearchQuery SentSince(DateOnly date) => new KeyQuery("SENTSINCE " + FormatDate(date));

    public static SearchQuery SentBefore(DateOnly date) => new KeyQuery("SENTBEFORE " + FormatDate(date));

    public static SearchQuery Larger(uint size) => new KeyQuery("LARGER " + Number(size));

    public static SearchQuery Smaller(uint size) => new KeyQuery("SMALLER " + Number(size));

    public static SearchQuery Uids(SequenceSet uids)
    {
        ArgumentNullException.ThrowIfNull(uids);
        return new KeyQuery("UID " + uids);
    }

    public static SearchQuery SequenceNumbers(SequenceSet numbers)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        return new KeyQuery(numbers.ToString());
    }

    /// <summary>Messages with a mod-sequence at or above <paramref name="modSeq"/> (RFC 7162 section 3.1.5).</summary>
    public static SearchQuery ModSeq(ulong modSeq) => new KeyQuery("MODSEQ " + modSeq.ToString(CultureInfo.InvariantCulture));

    public static SearchQuery Not(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new NotQuery(query);
    }

    public static SearchQuery Or(SearchQuery left, SearchQuery right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new OrQuery(left, right);
    }

    /// <summary>Messages that match every query; SEARCH keys side by side are a conjunction.</summary>
    public static SearchQuery AllOf(params SearchQuery[] queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfZero(queries.Length);
        return queries.Length == 1 ? queries[0] : new AndQuery(queries);
    }

    public SearchQuery And(SearchQuery other) => AllOf(this, other);

    public SearchQuery Or(SearchQuery other) => Or(this, other);

    /// <summary>Whether a string value has non-ASCII characters, so the search needs CHARSET UTF-8.</summary>
    internal abstract bool HasNonAscii { get; }

    internal abstract void AppendTo(ImapCommand command);

    private static string FormatDate(DateOnly date)
    {
        // date = day "-" month "-" year, with English month names (RFC 9051 section 9).
        return date.ToString("d-MMM-yyyy", CultureInfo.InvariantCulture);
    }

    private static string Number(uint value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class KeyQuery(string text) : SearchQuery
    {
        internal override bool HasNonAscii => false;

        internal override void AppendTo(ImapCommand command) => command.AppendRaw(text);
    }

    private sealed class StringQuery : SearchQuery
    {
        private readonly string _key;
        private readonly string _value;

        public StringQuery(string key, string value)
        {
            ArgumentNullException.ThrowIfNull(value);
            Transport.ProtocolText.ThrowIfContainsLineBreakOrNul(value, nameof(value));
            _key = key;
            _value = value;
        }

        internal override bool HasNonAscii => !ImapQuoting.IsAscii(_value);

        internal override void AppendTo(ImapCommand command) => command.AppendRaw(_key + " ").AppendString(_value);
    }

    private sealed class HeaderQuery : SearchQuery
    {
        private readonly string _name;
        private readonly string _value;

        public HeaderQuery(string name, string value)
        {
            ArgumentNullException.ThrowIfNull(value);
            Transport.ProtocolText.ThrowIfContainsLineBreakOrNul(value, nameof(value));
            if (!ImapQuoting.IsAtom(name))
            {
                throw new ArgumentException("A header field name is printable ASCII without spaces.", nameof(name));
            }

            _name = name;
            _value = value;
        }

        internal override bool HasNonAscii => !ImapQuoting.IsAscii(_value);

        internal override void AppendTo(ImapCommand command)
        {
            command.AppendRaw("HEADER ").AppendString(_name).Space().AppendString(_value);
        }
    }

    private sealed class AtomQuery : SearchQuery
    {
        private readonly string _text;

        public AtomQuery(string key, string atom)
        {
            ArgumentNullException.ThrowIfNull(atom);
            if (!ImapQuoting.IsAtom(atom))
            {
                throw new ArgumentException($"'{Transport.ProtocolText.Escape(atom, 64)}' is not an IMAP atom.",
                    nameof(atom));
            }

            _text = key + " " + atom;
        }

        internal override bool HasNonAscii => false;

        internal override void AppendTo(ImapCommand command) => command.AppendRaw(_text);
    }

    private sealed class NotQuery(SearchQuery inner) : SearchQuery
    {
        internal override bool HasNonAscii => inner.HasNonAscii;

        internal override void AppendTo(ImapCommand command)
        {
            command.AppendRaw("NOT ");
            AppendGrouped(command, inner);
        }
    }

    private sealed class OrQuery(SearchQuery left, SearchQuery right) : SearchQuery
    {
        internal override bool HasNonAscii => left.HasNonAscii || right.HasNonAscii;

        internal override void AppendTo(ImapCommand command)
        {
            command.AppendRaw("OR ");
            AppendGrouped(command, left);
            command.Space();
            AppendGrouped(command, right);
        }
    }

    private sealed class AndQuery(SearchQuery[] parts) : SearchQuery
    {
        internal override bool HasNonAscii => parts.Any(static p => p.HasNonAscii);

        internal override void AppendTo(ImapCommand command)
        {
            for (int i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                {
                    command.Space();
                }

                AppendGrouped(command, parts[i]);
            }
        }
    }

    /// <summary>Wraps a conjunction in parentheses where it is one operand of NOT or OR.</summary>
    private static void AppendGrouped(ImapCommand command, SearchQuery query)
    {
        if (query is AndQuery)
        {
            command.AppendRaw("(");
            query.AppendTo(command);
            command.AppendRaw(")");
            return;
        }

        query.AppendTo(command);
    }
}
