using RawMail.Sasl;
using RawMail.Transport;

namespace RawMail.Protocols.Smtp;

/// <summary>Settings for <see cref="SmtpClient.ConnectAsync"/>.</summary>
public sealed class SmtpClientOptions
{
    /// <summary>
    /// The connection: host, port, TLS mode and timeouts. Submission uses port 465 with <see cref="TlsMode.Implicit"/>
    /// or 587 with <see cref="TlsMode.StartTls"/> (RFC 8314 section 3).
    /// </summary>
    public required MailConnectionOptions Connection { get; init; }

    /// <summary>
    /// The client's domain or address literal for EHLO and HELO (RFC 5321 section 4.1.1.1), for example
    /// "client.example.com" or "[192.0.2.10]". Null sends the address literal of the connection's local address,
    /// which RFC 5321 allows for a client without a usable domain name.
    /// </summary>
    public string? EhloDomain { get; init; }

    /// <summary>
    /// SASL mechanisms from most to least preferred; null uses <see cref="SaslMechanismSelector.DefaultOrder"/>.
    /// </summary>
    public IReadOnlyList<string>? MechanismOrder { get; init; }

    /// <summary>
    /// Sends the SASL initial response with AUTH when the line fits in 512 octets (RFC 4954 section 4). False always
    /// sends AUTH alone and the initial response after the server's empty 334 challenge.
    /// </summary>
    public bool UseInitialResponse { get; init; } = true;

    /// <summary>
    /// The host and port that SASL mechanisms report to the server (OAUTHBEARER sends both, RFC 7628 section 3.1),
    /// when they differ from the connection's, for example through a local port forward. Null uses
    /// <see cref="MailConnectionOptions.Host"/> and <see cref="MailConnectionOptions.Port"/>.
    /// </summary>
    public SaslContext? SaslContext { get; init; }

    /// <summary>Maximum length of one reply line in bytes, without CRLF.</summary>
    public int MaxReplyLineLength { get; init; } = SmtpReplyParser.DefaultMaxLineLength;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Connection);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxReplyLineLength, 16, nameof(MaxReplyLineLength));
        if (EhloDomain is null)
        {
            return;
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(EhloDomain);
        ProtocolText.ThrowIfContainsLineBreakOrNul(EhloDomain, nameof(EhloDomain));
        if (EhloDomain.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException("The EHLO domain cannot contain a space.", nameof(EhloDomain));
        }
    }
}
