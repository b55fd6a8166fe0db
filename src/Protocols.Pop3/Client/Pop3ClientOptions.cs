using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using RawMail.Sasl;
using RawMail.Transport;
using RawMail.Transport.Diagnostics;

namespace RawMail.Protocols.Pop3;

/// <summary>Settings for <see cref="Pop3Client.ConnectAsync"/>.</summary>
public sealed class Pop3ClientOptions
{
    /// <summary>Host name or IP literal of the server.</summary>
    public required string Host { get; init; }

    /// <summary>The port: 995 for implicit TLS, 110 for STLS (RFC 8314).</summary>
    public int Port { get; init; } = 995;

    /// <summary>
    /// When TLS starts. With <see cref="TlsMode.StartTls"/> the client sends STLS after the greeting and fails
    /// with <see cref="ProtocolErrorReason.StartTlsRefused"/> rather than continue in plain text.
    /// </summary>
    public TlsMode TlsMode { get; init; } = TlsMode.Implicit;

    /// <inheritdoc cref="MailConnectionOptions.ConnectTimeout"/>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc cref="MailConnectionOptions.CommandTimeout"/>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Maximum length of a status or listing line in bytes. RFC 2449 section 4 limits status lines to 512 octets;
    /// the default leaves room for servers that exceed it. Message body lines have no limit, because bodies stream.
    /// </summary>
    public int MaxLineLength { get; init; } = 8 * 1024;

    /// <summary>
    /// Maximum number of lines in a CAPA, LIST or UIDL listing. The client keeps every parsed line until the
    /// listing ends, so without a limit a server that never sends the final "." would grow the list without end.
    /// The default is far above the message count of any real maildrop.
    /// </summary>
    public int MaxListingLines { get; init; } = 1_000_000;

    /// <summary>
    /// Which line ends the client accepts from the server. The default, <see cref="LineEnding.CrLf"/>, follows
    /// RFC 1939: a bare LF is data, so "LF . LF" inside a message never ends it. <see cref="LineEnding.CrLfOrLf"/>
    /// is a leniency for servers that end every line with a bare LF; it also lets "LF . LF" end a message.
    /// </summary>
    public LineEnding LineEnding { get; init; } = LineEnding.CrLf;

    /// <summary>
    /// Mechanism preference for <see cref="Pop3Client.AuthenticateAsync(SaslCredentials, CancellationToken)"/>;
    /// null uses <see cref="SaslMechanismSelector.DefaultOrder"/>.
    /// </summary>
    public SaslMechanismSelector? MechanismSelector { get; init; }

    /// <summary>
    /// Whether AUTH may carry the initial response on its own line. Even when true, the client does so only when
    /// the server advertises SASL and the line fits in 255 octets (RFC 5034 section 4). False always sends
    /// "AUTH mechanism" alone and the response after the server's empty challenge, for servers that mishandle
    /// the one-line form.
    /// </summary>
    public bool AllowSaslInitialResponse { get; init; } = true;

    /// <summary>
    /// Whether <see cref="Pop3Client.LoginApopAsync"/> may run. APOP sends an MD5 digest of the password, which an
    /// eavesdropper can attack offline (RFC 1939 section 7, RFC 6151), so it is off unless the caller opts in.
    /// </summary>
    public bool AllowApop { get; init; }

    /// <inheritdoc cref="MailConnectionOptions.TrustedCertificateAuthorities"/>
    public X509Certificate2Collection? TrustedCertificateAuthorities { get; init; }

    /// <inheritdoc cref="MailConnectionOptions.ServerCertificateValidationCallback"/>
    public RemoteCertificateValidationCallback? ServerCertificateValidationCallback { get; init; }

    /// <inheritdoc cref="MailConnectionOptions.DangerousAcceptAnyServerCertificate"/>
    public bool DangerousAcceptAnyServerCertificate { get; init; }

    /// <inheritdoc cref="MailConnectionOptions.AllowCredentialsWithoutTls"/>
    public bool AllowCredentialsWithoutTls { get; init; }

    /// <inheritdoc cref="MailConnectionOptions.TargetHostOverride"/>
    public string? TargetHostOverride { get; init; }

    /// <inheritdoc cref="MailConnectionOptions.LocalEndPoint"/>
    public IPEndPoint? LocalEndPoint { get; init; }

    /// <inheritdoc cref="MailConnectionOptions.ProtocolLog"/>
    public ProtocolLog? ProtocolLog { get; init; }

    /// <inheritdoc cref="MailConnectionOptions.MemoryPool"/>
    public MemoryPool<byte>? MemoryPool { get; init; }

    internal MailConnectionOptions ToConnectionOptions()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLineLength, 64, nameof(MaxLineLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxListingLines, 1, nameof(MaxListingLines));
        return new MailConnectionOptions
        {
            Host = Host,
            Port = Port,
            TlsMode = TlsMode,
            ConnectTimeout = ConnectTimeout,
            CommandTimeout = CommandTimeout,
            MaxLineLength = MaxLineLength,
            TrustedCertificateAuthorities = TrustedCertificateAuthorities,
            ServerCertificateValidationCallback = ServerCertificateValidationCallback,
            DangerousAcceptAnyServerCertificate = DangerousAcceptAnyServerCertificate,
            AllowCredentialsWithoutTls = AllowCredentialsWithoutTls,
            TargetHostOverride = TargetHostOverride,
            LocalEndPoint = LocalEndPoint,
            ProtocolLog = ProtocolLog,
            MemoryPool = MemoryPool,
        };
    }
}
