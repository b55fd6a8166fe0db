namespace RawMail.Protocols.Pop3;

/// <summary>
/// The STAT result: the number of messages not marked deleted and their total size (RFC 1939 section 5).
/// </summary>
/// <param name="MessageCount">Number of messages in the maildrop, deleted ones excluded.</param>
/// <param name="TotalSize">Size of those messages in octets, as the server counts them (with CRLF line ends).</param>
public readonly record struct StatResult(int MessageCount, long TotalSize);

/// <summary>One LIST scan listing: a message number and its size in octets (RFC 1939 section 5).</summary>
/// <param name="Number">The message number, valid only within this session.</param>
/// <param name="Size">The size in octets, as the server counts them.</param>
public readonly record struct Pop3MessageInfo(int Number, long Size);

/// <summary>
/// One UIDL listing (RFC 1939 section 7). Key stored state on <paramref name="UniqueId"/>: message numbers change
/// between sessions, unique ids do not.
/// </summary>
/// <param name="Number">The message number, valid only within this session.</param>
/// <param name="UniqueId">The server's persistent id: 1 to 70 characters from 0x21 to 0x7E.</param>
public readonly record struct Pop3UniqueId(int Number, string UniqueId);
