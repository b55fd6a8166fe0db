namespace RawMail.Protocols.Imap.Model;

/// <summary>One complete server response: a continuation request, a tagged completion or untagged data.</summary>
public abstract class ImapResponse
{
    private protected ImapResponse()
    {
    }
}

/// <summary>Status word of a status response (RFC 9051 section 7.1).</summary>
public enum ImapResponseStatus
{
    Ok,
    No,
    Bad,
    PreAuth,
    Bye,
}

/// <summary>A continuation request (<c>+ text</c>), RFC 9051 section 7.5.</summary>
/// <remarks>
/// The text is kept as sent. Only the client knows whether it is base64 (during AUTHENTICATE) or
/// human text (after a literal announcement), so the parser never decodes it.
/// </remarks>
public sealed class ContinuationRequest : ImapResponse
{
    public ContinuationRequest(string text)
    {
        Text = text;
    }

    public string Text { get; }
}

/// <summary>The tagged completion of a command: <c>tag OK/NO/BAD [code] text</c>.</summary>
public sealed class TaggedCompletion : ImapResponse
{
    public TaggedCompletion(string tag, ImapResponseStatus status, ResponseCode? code, string text)
    {
        Tag = tag;
        Status = status;
        Code = code;
        Text = text;
    }

    public string Tag { get; }

    /// <summary>OK, NO or BAD; <see cref="ImapResponseStatus.Bye"/> when a server completes LOGOUT with a tagged BYE.</summary>
    public ImapResponseStatus Status { get; }

    public ResponseCode? Code { get; }

    public string Text { get; }
}

/// <summary>An untagged status response: <c>* OK/NO/BAD/PREAUTH/BYE [code] text</c>.</summary>
public sealed class UntaggedStatusResponse : ImapResponse
{
    public UntaggedStatusResponse(ImapResponseStatus status, ResponseCode? code, string text)
    {
        Status = status;
        Code = code;
        Text = text;
    }

    public ImapResponseStatus Status { get; }

    public ResponseCode? Code { get; }

    public string Text { get; }
}

/// <summary>An untagged <c>CAPABILITY</c> or <c>ENABLED</c> response: a list of atoms.</summary>
public sealed class CapabilityResponse : ImapResponse
{
    public CapabilityResponse(bool isEnabled, IReadOnlyList<string> capabilities)
    {
        IsEnabled = isEnabled;
        Capabilities = capabilities;
    }

    /// <summary>True for <c>* ENABLED</c> (RFC 5161), false for <c>* CAPABILITY</c>.</summary>
    public bool IsEnabled { get; }

    public IReadOnlyList<string> Capabilities { get; }
}

/// <summary>An untagged number response: EXISTS, RECENT or EXPUNGE.</summary>
public sealed class NumberResponse : ImapResponse
{
    public NumberResponse(NumberResponseKind kind, uint value)
    {
        Kind = kind;
        Value = value;
    }

    public NumberResponseKind Kind { get; }

    public uint Value { get; }
}

public enum NumberResponseKind
{
    Exists,
    Recent,
    Expunge,
}

/// <summary>An untagged <c>FLAGS</c> response: the flags defined in the selected mailbox.</summary>
public sealed class FlagsResponse : ImapResponse
{
    public FlagsResponse(MessageFlags flags, IReadOnlyList<string> keywords)
    {
        Flags = flags;
        Keywords = keywords;
    }

    public MessageFlags Flags { get; }

    public IReadOnlyList<string> Keywords { get; }
}

/// <summary>An untagged <c>SEARCH</c> response (RFC 3501), with the CONDSTORE <c>(MODSEQ n)</c> suffix.</summary>
public sealed class SearchResponse : ImapResponse
{
    public SearchResponse(IReadOnlyList<uint> numbers, ulong? modSeq)
    {
        Numbers = numbers;
        ModSeq = modSeq;
    }

    public IReadOnlyList<uint> Numbers { get; }

    public ulong? ModSeq { get; }
}

/// <summary>An untagged <c>ESEARCH</c> response (RFC 4731).</summary>
public sealed class ESearchResponse : ImapResponse
{
    public string? Tag { get; internal set; }

    public bool IsUid { get; internal set; }

    public uint? Min { get; internal set; }

    public uint? Max { get; internal set; }

    public uint? Count { get; internal set; }

    public SequenceSet? All { get; internal set; }

    public ulong? ModSeq { get; internal set; }
}

/// <summary>An untagged <c>VANISHED</c> response (RFC 7162 section 3.2.10).</summary>
public sealed class VanishedResponse : ImapResponse
{
    public VanishedResponse(bool isEarlier, SequenceSet uids)
    {
        IsEarlier = isEarlier;
        Uids = uids;
    }

    /// <summary>True for <c>VANISHED (EARLIER)</c>, sent in reply to a UID FETCH with QRESYNC.</summary>
    public bool IsEarlier { get; }

    public SequenceSet Uids { get; }
}

/// <summary>An untagged <c>ID</c> response (RFC 2971); NIL gives an empty list.</summary>
public sealed class IdResponse : ImapResponse
{
    public IdResponse(IReadOnlyList<KeyValuePair<string, string?>> fields)
    {
        Fields = fields;
    }

    public IReadOnlyList<KeyValuePair<string, string?>> Fields { get; }
}

/// <summary>One namespace of a <c>NAMESPACE</c> response (RFC 2342).</summary>
public sealed record NamespaceEntry(string Prefix, char? Delimiter);

/// <summary>An untagged <c>NAMESPACE</c> response: personal, other users' and shared namespaces.</summary>
public sealed class NamespaceResponse : ImapResponse
{
    public NamespaceResponse(
        IReadOnlyList<NamespaceEntry> personal,
        IReadOnlyList<NamespaceEntry> otherUsers,
        IReadOnlyList<NamespaceEntry> shared)
    {
        Personal = personal;
        OtherUsers = otherUsers;
        Shared = shared;
    }

    public IReadOnlyList<NamespaceEntry> Personal { get; }

    public IReadOnlyList<NamespaceEntry> OtherUsers { get; }

    public IReadOnlyList<NamespaceEntry> Shared { get; }
}

/// <summary>An untagged response this parser has no model for, kept as its name and the raw rest of the line.</summary>
public sealed class UnknownResponse : ImapResponse
{
    public UnknownResponse(string name, string rawArguments)
    {
        Name = name;
        RawArguments = rawArguments;
    }

    public string Name { get; }

    /// <summary>The bytes after the name up to the end of the response, decoded as UTF-8 (Latin-1 if invalid).</summary>
    public string RawArguments { get; }
}
