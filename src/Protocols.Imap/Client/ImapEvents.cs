using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap;

/// <summary>A message was expunged; the sequence numbers above it moved down by one.</summary>
public sealed class MessageExpungedEventArgs(uint sequenceNumber) : EventArgs
{
    public uint SequenceNumber { get; } = sequenceNumber;
}

/// <summary>The server reported a new message count (EXISTS).</summary>
public sealed class CountChangedEventArgs(uint count) : EventArgs
{
    public uint Count { get; } = count;
}

/// <summary>The server reported the flags of a message in unsolicited or requested FETCH data.</summary>
public sealed class FlagsChangedEventArgs(FetchResponse fetch) : EventArgs
{
    public FetchResponse Fetch { get; } = fetch;
}

/// <summary>The server sent an ALERT that RFC 9051 section 7.1 requires the client to show to the user.</summary>
public sealed class AlertEventArgs(string text) : EventArgs
{
    public string Text { get; } = text;
}

/// <summary>Messages were expunged and reported by UID (QRESYNC, RFC 7162 section 3.2.10).</summary>
public sealed class VanishedEventArgs(VanishedResponse vanished) : EventArgs
{
    public VanishedResponse Vanished { get; } = vanished;
}
