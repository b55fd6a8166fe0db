using RawMail.Transport;

namespace RawMail.Benchmarks.Workloads;

/// <summary>Client options for a replay server on 127.0.0.1: plain, or implicit TLS trusting the benchmark CA.</summary>
internal static class LoopbackOptions
{
    public static MailConnectionOptions Connection(int port, bool tls) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        TlsMode = tls ? TlsMode.Implicit : TlsMode.None,
        TargetHostOverride = tls ? BenchCertificates.HostName : null,
        TrustedCertificateAuthorities = tls ? BenchCertificates.Shared.Trust : null,
    };
}
