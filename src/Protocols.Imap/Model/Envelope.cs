using System.Collections;

namespace RawMail.Protocols.Imap.Model;

/// <summary>An ENVELOPE (RFC 9051 section 7.5.2): the parsed top-level header fields of a message.</summary>
/// <remarks>The six address lists share one array, and each list is a view over its range of it.</remarks>
public sealed class Envelope
{
    private EnvelopeAddress[] _addresses = [];

    // The end of each list in _addresses; Bcc runs from _ccEnd to the end of the array.
    private int _fromEnd;
    private int _senderEnd;
    private int _replyToEnd;
    private int _toEnd;
    private int _ccEnd;

    /// <summary>The Date header field as sent; null for NIL.</summary>
    public string? DateText { get; internal set; }

    /// <summary>The Date header field parsed per RFC 5322 section 3.3, or null when it does not parse.</summary>
    public DateTimeOffset? Date { get; internal set; }

    /// <summary>The subject with RFC 2047 encoded-words decoded.</summary>
    public string? Subject { get; internal set; }

    public AddressList From => new(_addresses, 0, _fromEnd);

    /// <summary>The Sender addresses as sent; RFC 3501 servers fill them from From, but some send NIL.</summary>
    public AddressList Sender => new(_addresses, _fromEnd, _senderEnd - _fromEnd);

    public AddressList ReplyTo => new(_addresses, _senderEnd, _replyToEnd - _senderEnd);

    public AddressList To => new(_addresses, _replyToEnd, _toEnd - _replyToEnd);

    public AddressList Cc => new(_addresses, _toEnd, _ccEnd - _toEnd);

    public AddressList Bcc => new(_addresses, _ccEnd, _addresses.Length - _ccEnd);

    public string? InReplyTo { get; internal set; }

    public string? MessageId { get; internal set; }

    /// <summary>Stores the six address lists, given as one array and the end of each of the first five.</summary>
    internal void SetAddresses(EnvelopeAddress[] addresses, ReadOnlySpan<int> ends)
    {
        _addresses = addresses;
        _fromEnd = ends[0];
        _senderEnd = ends[1];
        _replyToEnd = ends[2];
        _toEnd = ends[3];
        _ccEnd = ends[4];
    }
}

/// <summary>An envelope address list in server order: a view over the array its envelope stores.</summary>
public readonly struct AddressList : IReadOnlyList<EnvelopeAddress>
{
    private readonly EnvelopeAddress[]? _items;
    private readonly int _start;

    internal AddressList(EnvelopeAddress[] items, int start, int count)
    {
        _items = items;
        _start = start;
        Count = count;
    }

    public int Count { get; }

    public EnvelopeAddress this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _items![_start + index];
        }
    }

    public ReadOnlySpan<EnvelopeAddress> AsSpan() => _items.AsSpan(_start, Count);

    public ReadOnlySpan<EnvelopeAddress>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    IEnumerator<EnvelopeAddress> IEnumerable<EnvelopeAddress>.GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return _items![_start + i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<EnvelopeAddress>)this).GetEnumerator();
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
