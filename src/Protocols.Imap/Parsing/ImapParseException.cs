namespace RawMail.Protocols.Imap.Parsing;

/// <summary>Why a server response could not be parsed.</summary>
public enum ImapParseErrorReason
{
    /// <summary>A token other than the grammar allows at this point.</summary>
    UnexpectedToken,

    /// <summary>The response ended before the grammar was complete.</summary>
    UnexpectedEnd,

    InvalidNumber,

    InvalidLiteral,

    InvalidQuotedString,

    /// <summary>A line (between literals) is longer than <see cref="ImapParserOptions.MaxLineLength"/>.</summary>
    LineTooLong,

    /// <summary>A literal announcement exceeds <see cref="ImapParserOptions.MaxLiteralSize"/>.</summary>
    LiteralTooLarge,

    /// <summary>A whole response exceeds <see cref="ImapParserOptions.MaxResponseSize"/>.</summary>
    ResponseTooLarge,

    /// <summary>Lists nest deeper than <see cref="ImapParserOptions.MaxNestingDepth"/>.</summary>
    NestingTooDeep,
}

/// <summary>A server response that breaks the IMAP grammar beyond the tolerated server quirks.</summary>
/// <remarks>
/// When <see cref="IsResponseConsumed"/> is true the parser has already skipped the whole faulty response,
/// so the stream is still in step and the connection stays usable; otherwise framing itself failed and
/// the connection must be closed.
/// </remarks>
public sealed class ImapParseException : Exception
{
    public ImapParseException(ImapParseErrorReason reason, long position, string message)
        : base(message)
    {
        Reason = reason;
        Position = position;
    }

    public ImapParseErrorReason Reason { get; }

    /// <summary>The offset of the fault from the start of the response, in octets.</summary>
    public long Position { get; }

    public bool IsResponseConsumed { get; internal set; }
}
