namespace RawMail.Protocols.Imap.Parsing;

/// <summary>Limits and tolerated server quirks for <see cref="ImapResponseParser"/>.</summary>
public sealed class ImapParserOptions
{
    /// <summary>The max octets of one line between literals. SEARCH results on large mailboxes can run to megabytes.</summary>
    public int MaxLineLength { get; init; } = 16 * 1024 * 1024;

    /// <summary>The max announced literal size, streamed or not; a larger announcement is rejected before any of its octets.</summary>
    public long MaxLiteralSize { get; init; } = 1024L * 1024 * 1024;

    /// <summary>
    /// The max octets of a response kept in memory, streamed body payloads excluded. It can be at most
    /// <see cref="Array.MaxLength"/>.
    /// </summary>
    public long MaxResponseSize { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// The literal size from which a FETCH body payload is handed to the caller in chunks
    /// instead of being kept in memory; <see cref="long.MaxValue"/> turns streaming off.
    /// </summary>
    public long StreamingThreshold { get; init; } = 1024 * 1024;

    public int MaxNestingDepth { get; init; } = 64;

    /// <summary>
    /// Re-reads a literal whose octet count is really a character count (DavMail 6.0.1 announces the count of UTF-16 characters)
    /// when the counted octets do not end at a token boundary. Bends RFC 9051 section 4.3.
    /// </summary>
    public bool AllowLiteralCharacterCount { get; init; } = true;

    /// <summary>The options used when none are given.</summary>
    public static ImapParserOptions Default { get; } = new();
}
