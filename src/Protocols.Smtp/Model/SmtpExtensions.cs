namespace RawMail.Protocols.Smtp;

/// <summary>The service extensions a server announced in its EHLO reply that this client uses.</summary>
[Flags]
public enum SmtpExtensions
{
    None = 0,

    /// <summary>SIZE (RFC 1870): the server states its maximum message size and accepts MAIL FROM SIZE=.</summary>
    Size = 1 << 0,

    /// <summary>8BITMIME (RFC 6152): MAIL FROM BODY=8BITMIME.</summary>
    EightBitMime = 1 << 1,

    /// <summary>SMTPUTF8 (RFC 6531): UTF-8 addresses and headers.</summary>
    SmtpUtf8 = 1 << 2,

    /// <summary>PIPELINING (RFC 2920): commands of a transaction may be sent without waiting for each reply.</summary>
    Pipelining = 1 << 3,

    /// <summary>CHUNKING (RFC 3030): BDAT in place of DATA.</summary>
    Chunking = 1 << 4,

    /// <summary>DSN (RFC 3461): RET, ENVID, NOTIFY and ORCPT parameters.</summary>
    Dsn = 1 << 5,

    /// <summary>ENHANCEDSTATUSCODES (RFC 2034): replies start with an RFC 3463 status code.</summary>
    EnhancedStatusCodes = 1 << 6,

    /// <summary>REQUIRETLS (RFC 8689): MAIL FROM REQUIRETLS.</summary>
    RequireTls = 1 << 7,

    /// <summary>STARTTLS (RFC 3207).</summary>
    StartTls = 1 << 8,

    /// <summary>AUTH (RFC 4954), with the mechanisms in <see cref="SmtpCapabilities.AuthenticationMechanisms"/>.</summary>
    Authentication = 1 << 9,

    /// <summary>BINARYMIME (RFC 3030): MAIL FROM BODY=BINARYMIME together with CHUNKING.</summary>
    BinaryMime = 1 << 10,
}
