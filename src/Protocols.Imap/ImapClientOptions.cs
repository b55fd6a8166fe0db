using RawMail.Protocols.Imap.Parsing;
using RawMail.Transport;

namespace RawMail.Protocols.Imap;

/// <summary>Settings for <see cref="ImapClient.ConnectAsync"/>.</summary>
public sealed class ImapClientOptions
{
    /// <summary>Host, port, TLS mode, timeouts and the protocol log of the connection.</summary>
    public required MailConnectionOptions Connection { get; init; }

    /// <summary>Limits of the response parser; null uses <see cref="ImapParserOptions.Default"/>.</summary>
    public ImapParserOptions? Parser { get; init; }

    /// <summary>
    /// SASL mechanisms from most to least preferred; null uses <see cref="Sasl.SaslMechanismSelector.DefaultOrder"/>.
    /// </summary>
    public IReadOnlyList<string>? SaslMechanisms { get; init; }

    /// <summary>
    /// How long one IDLE runs before the client ends it and starts a new one. RFC 9051 section 6.3.13 lets a
    /// server log out an idle client after 30 minutes, so the default stays below that.
    /// </summary>
    public TimeSpan IdleReissueInterval { get; init; } = TimeSpan.FromMinutes(25);

    /// <summary>
    /// The size of the chunks an APPEND literal is read from the caller's stream and sent in.
    /// </summary>
    public int AppendChunkSize { get; init; } = 64 * 1024;

    /// <summary>
    /// Whether commands called concurrently are sent before the earlier ones complete, where RFC 9051 section 5.5
    /// allows it. When false, each command waits until the one before it has completed.
    /// </summary>
    public bool Pipelining { get; init; } = true;
}
