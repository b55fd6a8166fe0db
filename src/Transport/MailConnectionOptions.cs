using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using RawMail.Transport.Diagnostics;

namespace RawMail.Transport;

/// <summary>Settings for <see cref="MailConnection.ConnectAsync(MailConnectionOptions, CancellationToken)"/>.</summary>
public sealed class MailConnectionOptions
{
    /// <summary>Default for <see cref="MaxLineLength"/>: 64 KiB.</summary>
    public const int DefaultMaxLineLength = 64 * 1024;

    /// <summary>Host name or IP literal of the server.</summary>
    public required string Host { get; init; }

    public required int Port { get; init; }

    public TlsMode TlsMode { get; init; } = TlsMode.Implicit;

    /// <summary>Time for DNS resolution, the TCP connect over all addresses, and the implicit TLS handshake.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Time for each read, flush or STARTTLS handshake. When it elapses the connection is closed, because a
    /// half-read response cannot be resumed. <see cref="Timeout.InfiniteTimeSpan"/> turns the deadline off.
    /// </summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Maximum length of one protocol line in bytes, without its terminator.</summary>
    public int MaxLineLength { get; init; } = DefaultMaxLineLength;

    /// <summary>
    /// Certificate authorities trusted in addition to the operating system's store, for example a company CA or a
    /// test CA. A chain that ends in one of them is accepted even when the system store does not know it.
    /// </summary>
    public X509Certificate2Collection? TrustedCertificateAuthorities { get; init; }

    /// <summary>
    /// Final check on the server certificate. It receives the policy errors left after the system store and
    /// <see cref="TrustedCertificateAuthorities"/> were consulted, and its result decides.
    /// </summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidationCallback { get; init; }

    /// <summary>
    /// Accepts any server certificate, including forged ones. Unsafe: anyone on the network path can read the
    /// session and the credentials. Only for local tests.
    /// </summary>
    public bool DangerousAcceptAnyServerCertificate { get; init; }

    /// <summary>
    /// Sends passwords and tokens over a connection without TLS to a host other than loopback. Unsafe: anyone on the
    /// network path can read them. Off by default, so a mistaken <see cref="TlsMode.None"/> fails before any secret
    /// is sent; loopback addresses are always allowed.
    /// </summary>
    public bool AllowCredentialsWithoutTls { get; init; }

    /// <summary>TLS versions offered. Only TLS 1.2 and TLS 1.3 are allowed.</summary>
    public SslProtocols SslProtocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>Local address to bind the client socket to before connecting, for example 127.0.0.2.</summary>
    public IPEndPoint? LocalEndPoint { get; init; }

    /// <summary>Transcript of the session with secrets masked; null for none.</summary>
    public ProtocolLog? ProtocolLog { get; init; }

    /// <summary>
    /// Name sent in the TLS server name indication and checked against the certificate, when it differs from
    /// <see cref="Host"/> (for example when <see cref="Host"/> is an IP literal).
    /// </summary>
    public string? TargetHostOverride { get; init; }

    /// <summary>Pool for the pipe buffers; null uses the shared pool. Tests pass a leak-detecting pool.</summary>
    public MemoryPool<byte>? MemoryPool { get; init; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Host);
        ProtocolText.ThrowIfContainsLineBreakOrNul(Host, nameof(Host));
        ArgumentOutOfRangeException.ThrowIfLessThan(Port, IPEndPoint.MinPort, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, IPEndPoint.MaxPort, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLineLength, 1, nameof(MaxLineLength));
        ThrowIfInvalidTimeout(ConnectTimeout, nameof(ConnectTimeout));
        ThrowIfInvalidTimeout(CommandTimeout, nameof(CommandTimeout));

        const SslProtocols allowed = SslProtocols.Tls12 | SslProtocols.Tls13;
        if (SslProtocols == SslProtocols.None || (SslProtocols & ~allowed) != 0)
        {
            throw new ArgumentException(
                $"SslProtocols must be Tls12, Tls13 or both; {SslProtocols} is not allowed.",
                nameof(SslProtocols));
        }
    }

    private static void ThrowIfInvalidTimeout(TimeSpan value, string paramName)
    {
        if (value != Timeout.InfiniteTimeSpan && value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "The timeout must be positive or infinite.");
        }
    }
}
