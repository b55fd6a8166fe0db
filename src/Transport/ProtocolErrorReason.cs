namespace RawMail.Transport;

/// <summary>
/// Why a connection became unusable. Every <see cref="MailProtocolException"/> carries one.
/// </summary>
public enum ProtocolErrorReason
{
    /// <summary>No address of the host accepted a TCP connection.</summary>
    ConnectFailed,

    /// <summary>The connect timeout or the command timeout elapsed.</summary>
    Timeout,

    /// <summary>The server closed the connection, possibly in the middle of a response.</summary>
    ConnectionClosed,

    /// <summary>A line grew past the configured maximum without a line terminator.</summary>
    LineTooLong,

    /// <summary>A literal or payload announced more bytes than the configured maximum.</summary>
    LiteralTooLarge,

    /// <summary>The server sent a well-formed response that is not valid in the current state.</summary>
    UnexpectedResponse,

    /// <summary>The server sent bytes that do not follow the protocol grammar.</summary>
    MalformedResponse,

    /// <summary>The TLS handshake failed for a reason other than the server certificate.</summary>
    TlsHandshakeFailed,

    /// <summary>The server certificate failed validation.</summary>
    CertificateInvalid,

    /// <summary>
    /// The server sent bytes after its STARTTLS go-ahead and before the TLS handshake (response injection,
    /// the CVE-2011-0411 class of attack).
    /// </summary>
    PlaintextAfterStartTls,

    /// <summary>The server does not offer STARTTLS or refused it, and TLS was required.</summary>
    StartTlsRefused,

    /// <summary>The server announced that it is shutting down the session (IMAP BYE, SMTP 421).</summary>
    ServerShutdown,

    /// <summary>The connection was already closed by an earlier failure or by disposal.</summary>
    ConnectionBroken,

    /// <summary>
    /// A password or token would have gone in plain text to a host other than loopback, which
    /// <see cref="MailConnectionOptions.AllowCredentialsWithoutTls"/> did not allow. Nothing secret was sent.
    /// </summary>
    CredentialsWithoutTls,
}
