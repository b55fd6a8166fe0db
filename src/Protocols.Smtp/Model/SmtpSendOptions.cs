namespace RawMail.Protocols.Smtp;

/// <summary>Per-message choices for <see cref="SmtpClient"/> SendAsync.</summary>
public sealed class SmtpSendOptions
{
    public static SmtpSendOptions Default { get; } = new();

    /// <summary>
    /// The message size in bytes for the SIZE parameter (RFC 1870), sent when the server announces SIZE. Null
    /// takes the remaining length of a seekable stream, and sends none otherwise.
    /// </summary>
    public long? Size { get; init; }

    /// <summary>The BODY parameter; <see cref="SmtpBodyType.EightBitMime"/> requires the server's 8BITMIME.</summary>
    public SmtpBodyType Body { get; init; }

    /// <summary>
    /// Sends SMTPUTF8 (RFC 6531) even when every envelope address is ASCII, for a message with UTF-8 headers. It is
    /// sent anyway when an address is not ASCII.
    /// </summary>
    public bool SmtpUtf8 { get; init; }

    /// <summary>The DSN RET parameter (RFC 3461 section 4.3); requires the server's DSN.</summary>
    public DsnReturn? Return { get; init; }

    /// <summary>The DSN ENVID parameter (RFC 3461 section 4.4), sent xtext-encoded; requires the server's DSN.</summary>
    public string? EnvelopeId { get; init; }

    /// <summary>
    /// Sends REQUIRETLS (RFC 8689 section 4): every hop must use validated TLS. Requires the server's REQUIRETLS
    /// and an encrypted connection.
    /// </summary>
    public bool RequireTls { get; init; }

    /// <summary>Uses BDAT when the server offers CHUNKING. When false, DATA is always used.</summary>
    public bool UseChunking { get; init; } = true;

    /// <summary>The size of each BDAT chunk in bytes before line-end normalisation.</summary>
    public int ChunkSize { get; init; } = 64 * 1024;
}
