namespace RawMail.Protocols.Imap.Model;

/// <summary>The response codes of RFC 9051 section 7.1 and the extensions this parser models.</summary>
public enum ResponseCodeKind
{
    Unknown,
    Alert,
    BadCharset,
    Capability,
    Parse,
    PermanentFlags,
    ReadOnly,
    ReadWrite,
    TryCreate,
    UidNext,
    UidValidity,
    Unseen,
    HighestModSeq,
    NoModSeq,
    Modified,
    AppendUid,
    CopyUid,
    UidNotSticky,
    Closed,
    AuthenticationFailed,
    AuthorizationFailed,
    Expired,
    PrivacyRequired,
    ContactAdmin,
    NoPerm,
    InUse,
    ExpungeIssued,
    Corruption,
    ServerBug,
    ClientBug,
    CannotOnly,
    Limit,
    OverQuota,
    AlreadyExists,
    NonExistent,
    Unavailable,
    HasChildren,
}

/// <summary>A response code (<c>[NAME args]</c>). Codes without data of their own use this type.</summary>
public class ResponseCode
{
    public ResponseCode(ResponseCodeKind kind, string name, string? rawArguments)
    {
        Kind = kind;
        Name = name;
        RawArguments = rawArguments;
    }

    public ResponseCodeKind Kind { get; }

    /// <summary>The code name as sent, upper-cased.</summary>
    public string Name { get; }

    /// <summary>The text after the name up to the closing bracket, or null when there is none.</summary>
    public string? RawArguments { get; }
}

/// <summary>A code with one number: UIDNEXT, UIDVALIDITY, UNSEEN, HIGHESTMODSEQ.</summary>
public sealed class NumberResponseCode : ResponseCode
{
    public NumberResponseCode(ResponseCodeKind kind, string name, string? rawArguments, ulong value)
        : base(kind, name, rawArguments)
    {
        Value = value;
    }

    public ulong Value { get; }
}

/// <summary>A code with a parenthesized flag list: PERMANENTFLAGS.</summary>
public sealed class FlagsResponseCode : ResponseCode
{
    public FlagsResponseCode(string? rawArguments, MessageFlags flags, IReadOnlyList<string> keywords)
        : base(ResponseCodeKind.PermanentFlags, "PERMANENTFLAGS", rawArguments)
    {
        Flags = flags;
        Keywords = keywords;
    }

    public MessageFlags Flags { get; }

    public IReadOnlyList<string> Keywords { get; }
}

/// <summary>A code with a list of atoms: CAPABILITY.</summary>
public sealed class CapabilityResponseCode : ResponseCode
{
    public CapabilityResponseCode(string? rawArguments, IReadOnlyList<string> capabilities)
        : base(ResponseCodeKind.Capability, "CAPABILITY", rawArguments)
    {
        Capabilities = capabilities;
    }

    public IReadOnlyList<string> Capabilities { get; }
}

/// <summary>APPENDUID (RFC 4315): the UIDVALIDITY of the target mailbox and the UIDs assigned.</summary>
public sealed class AppendUidResponseCode : ResponseCode
{
    public AppendUidResponseCode(string? rawArguments, uint uidValidity, SequenceSet? uids)
        : base(ResponseCodeKind.AppendUid, "APPENDUID", rawArguments)
    {
        UidValidity = uidValidity;
        Uids = uids;
    }

    public uint UidValidity { get; }

    /// <summary>The assigned UIDs, or null when the server left them out.</summary>
    public SequenceSet? Uids { get; }
}

/// <summary>COPYUID (RFC 4315): the UIDVALIDITY of the target mailbox and the source to target UID mapping.</summary>
public sealed class CopyUidResponseCode : ResponseCode
{
    public CopyUidResponseCode(string? rawArguments, uint uidValidity, SequenceSet? sourceUids, SequenceSet? targetUids)
        : base(ResponseCodeKind.CopyUid, "COPYUID", rawArguments)
    {
        UidValidity = uidValidity;
        SourceUids = sourceUids;
        TargetUids = targetUids;
    }

    public uint UidValidity { get; }

    /// <summary>The copied UIDs, or null when the server left out both sets.</summary>
    public SequenceSet? SourceUids { get; }

    public SequenceSet? TargetUids { get; }
}

/// <summary>MODIFIED (RFC 7162 section 3.1.3): the messages a conditional STORE did not change.</summary>
public sealed class SequenceSetResponseCode : ResponseCode
{
    public SequenceSetResponseCode(ResponseCodeKind kind, string name, string? rawArguments, SequenceSet set)
        : base(kind, name, rawArguments)
    {
        Set = set;
    }

    public SequenceSet Set { get; }
}
