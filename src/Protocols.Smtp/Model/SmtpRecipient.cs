namespace RawMail.Protocols.Smtp;

/// <summary>One RCPT TO, with the delivery status notification parameters of RFC 3461 section 4.</summary>
/// <param name="Address">The address without angle brackets.</param>
public sealed record SmtpRecipient(string Address)
{
    /// <summary>When to send a delivery status notification (NOTIFY); null leaves it to the server.</summary>
    public DsnNotify? Notify { get; init; }

    /// <summary>
    /// The original recipient (ORCPT) as an RFC 822 address, sent as "rfc822;" and the xtext-encoded address.
    /// </summary>
    public string? OriginalRecipient { get; init; }

    public static implicit operator SmtpRecipient(string address) => new(address);
}

/// <summary>The NOTIFY values of RFC 3461 section 4.1.</summary>
[Flags]
public enum DsnNotify
{
    /// <summary>NOTIFY=NEVER: no notification at all. Cannot be combined with the other values.</summary>
    Never = 0,

    Success = 1,

    Failure = 2,

    Delay = 4,
}

/// <summary>The RET values of RFC 3461 section 4.3: what a failure notification includes.</summary>
public enum DsnReturn
{
    /// <summary>RET=FULL: the whole message.</summary>
    Full,

    /// <summary>RET=HDRS: only the headers.</summary>
    Headers,
}

/// <summary>The BODY parameter of MAIL FROM.</summary>
public enum SmtpBodyType
{
    /// <summary>No BODY parameter: the message is 7-bit ASCII.</summary>
    SevenBit,

    /// <summary>BODY=8BITMIME (RFC 6152): the message may contain octets above 127 in lines of normal length.</summary>
    EightBitMime,
}
