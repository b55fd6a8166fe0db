namespace RawMail.Protocols.Pop3;

/// <summary>
/// The extended response code in brackets at the start of an -ERR text (RFC 2449 section 8, RFC 3206).
/// </summary>
public enum Pop3ResponseCode
{
    /// <summary>The response carries no code.</summary>
    None,

    /// <summary>[IN-USE]: another session holds the mailbox lock; retry later (RFC 2449 section 8.1).</summary>
    InUse,

    /// <summary>[LOGIN-DELAY]: the user logged in too recently; retry after the advertised delay (RFC 2449).</summary>
    LoginDelay,

    /// <summary>[SYS/TEMP]: a temporary server failure unrelated to the user (RFC 3206 section 4).</summary>
    SystemTemporary,

    /// <summary>[SYS/PERM]: a permanent server failure that needs an administrator (RFC 3206 section 4).</summary>
    SystemPermanent,

    /// <summary>[AUTH]: the credentials were wrong or not accepted (RFC 3206 section 5).</summary>
    Authentication,

    /// <summary>[UTF8]: the command needs UTF-8 mode, enabled with UTF8 (RFC 6856).</summary>
    Utf8,

    /// <summary>
    /// A bracketed code this client does not recognize. The exception's
    /// <see cref="RawMail.Transport.MailCommandException.ResponseText"/> contains it.
    /// </summary>
    Unknown,
}
