namespace RawMail.Protocols.Imap.Model;

/// <summary>An ENVELOPE (RFC 9051 section 7.5.2): the parsed top-level header fields of a message.</summary>
public sealed class Envelope
{
    /// <summary>The Date header field as sent; null for NIL.</summary>
    public string? DateText { get; internal set; }

    /// <summary>The Date header field parsed per RFC 5322 section 3.3, or null when it does not parse.</summary>
    public DateTimeOffset? Date { get; internal set; }

    /// <summary>The subject with RFC 2047 encoded-words decoded.</summary>
    public string? Subject { get; internal set; }

    public IReadOnlyList<EnvelopeAddress> From { get; internal set; } = [];

    /// <summary>The Sender addresses as sent; RFC 3501 servers fill them from From, but some send NIL.</summary>
    public IReadOnlyList<EnvelopeAddress> Sender { get; internal set; } = [];

    public IReadOnlyList<EnvelopeAddress> ReplyTo { get; internal set; } = [];

    public IReadOnlyList<EnvelopeAddress> To { get; internal set; } = [];

    public IReadOnlyList<EnvelopeAddress> Cc { get; internal set; } = [];

    public IReadOnlyList<EnvelopeAddress> Bcc { get; internal set; } = [];

    public string? InReplyTo { get; internal set; }

    public string? MessageId { get; internal set; }
}

/// <summary>An entry of an envelope address list: a mailbox or a group (RFC 5322 section 3.4).</summary>
public abstract class EnvelopeAddress
{
    private protected EnvelopeAddress(string? displayName)
    {
        DisplayName = displayName;
    }

    /// <summary>The display name (or group name) with RFC 2047 encoded-words decoded.</summary>
    public string? DisplayName { get; }
}

/// <summary>A single mailbox: <c>"Name" &lt;mailbox@host&gt;</c>.</summary>
public sealed class MailboxAddress : EnvelopeAddress
{
    public MailboxAddress(string? displayName, string? route, string? mailbox, string? host)
        : base(displayName)
    {
        Route = route;
        Mailbox = mailbox;
        Host = host;
    }

    /// <summary>The obsolete source route (RFC 5322 section 4.4), usually null.</summary>
    public string? Route { get; }

    /// <summary>The local part.</summary>
    public string? Mailbox { get; }

    public string? Host { get; }

    /// <summary>The address as <c>mailbox@host</c>, or the mailbox alone when the host is missing.</summary>
    public string Address => Host is null ? Mailbox ?? string.Empty : $"{Mailbox}@{Host}";
}

/// <summary>A group (<c>name: members;</c>), which RFC 9051 encodes with marker addresses around its members.</summary>
public sealed class GroupAddress : EnvelopeAddress
{
    public GroupAddress(string? displayName, IReadOnlyList<MailboxAddress> members)
        : base(displayName)
    {
        Members = members;
    }

    public IReadOnlyList<MailboxAddress> Members { get; }
}
