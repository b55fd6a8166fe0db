namespace RawMail.Transport;

/// <summary>When the connection starts TLS.</summary>
public enum TlsMode
{
    /// <summary>
    /// Plain text for the whole session. Only for tests and scripted local servers: credentials would cross the
    /// network unencrypted.
    /// </summary>
    None,

    /// <summary>TLS from the first byte (IMAP 993, POP3 995, SMTP 465; RFC 8314 section 3).</summary>
    Implicit,

    /// <summary>
    /// Plain text until the protocol client sends STARTTLS (or STLS) and calls
    /// <see cref="MailConnection.UpgradeToTlsAsync"/>.
    /// </summary>
    StartTls,
}
