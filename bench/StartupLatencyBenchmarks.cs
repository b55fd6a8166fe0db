using BenchmarkDotNet.Attributes;
using RawMail.Benchmarks.Workloads;

namespace RawMail.Benchmarks;

/// <summary>
/// Warm latency of a whole short session over implicit TLS with XOAUTH2 against replay servers on 127.0.0.1. The
/// IMAP session is connect, AUTHENTICATE, SELECT, FETCH of one 46 KB message and LOGOUT. The SMTP session is connect,
/// EHLO, AUTH, one 19 KB message and QUIT. The POP3 session is connect, AUTH, RETR of one 46 KB message and QUIT.
/// The baseline is a bare TCP connect and TLS handshake to the IMAP server. The cold first session of a fresh
/// process, step by step, is measured by the <c>--startup</c> harness instead (see bench/README.md). Results are
/// per session.
/// </summary>
[MemoryDiagnoser]
public class StartupLatencyBenchmarks
{
    private LatencyServers? _servers;

    [GlobalSetup]
    public void Setup() => _servers = new LatencyServers();

    [GlobalCleanup]
    public void Cleanup() => _servers?.Dispose();

    [Benchmark(Baseline = true)]
    public Task<int> TlsHandshake() => LatencySessions.TlsAsync(_servers!.ImapPort);

    [Benchmark]
    public Task<long> ImapSession() => LatencySessions.ImapAsync(_servers!.ImapPort);

    [Benchmark]
    public Task<int> SmtpSession() => LatencySessions.SmtpAsync(_servers!.SmtpPort, _servers.SmtpMessage);

    [Benchmark]
    public Task<long> Pop3Session() => LatencySessions.Pop3Async(_servers!.Pop3Port);
}
