using BenchmarkDotNet.Attributes;
using RawMail.Benchmarks.Workloads;
using RawMail.Protocols.Smtp;

namespace RawMail.Benchmarks;

/// <summary>
/// W4 SMTP bulk: 1,000 messages of about 19 KB sent over one connection with PIPELINING (RFC 2920) through
/// <see cref="SmtpClient.SendAsync(SmtpEnvelope, Stream, SmtpSendOptions?, CancellationToken)"/> to a replay server on
/// 127.0.0.1, with DATA or, when a second server advertises CHUNKING, with BDAT (RFC 3030). The baseline is a raw
/// sender that writes the same commands and dot-stuffed data without waiting for replies. With <see cref="Tls"/>
/// every side writes through TLS. Results are per message.
/// </summary>
[MemoryDiagnoser]
public class W4SmtpPipeliningBenchmarks
{
    private const int Messages = 1_000;

    /// <summary>Distinct messages, sent in turn so the workload stays small in memory.</summary>
    private const int Distinct = 50;

    private byte[][] _messages = [];
    private byte[][] _stuffed = [];
    private int _count;
    private LoopbackLineServer? _server;
    private LoopbackLineServer? _chunkingServer;

    /// <summary>Whether the replay servers wrap the socket in TLS (implicit TLS, as on port 465).</summary>
    [Params(false, true)]
    public bool Tls { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _count = WorkloadSize.IsQuick ? 20 : Messages;
        _messages = DotLineWorkload.Generate(Distinct, 19 * 1024);
        _stuffed = [.. _messages.Select(DotLineWorkload.Stuff)];
        var certificate = Tls ? BenchCertificates.Shared.Server : null;
        _server = new LoopbackLineServer(SmtpReplaySession.Greeting, () => new SmtpReplaySession(), certificate);
        _chunkingServer = new LoopbackLineServer(
            SmtpReplaySession.Greeting, () => new SmtpReplaySession(chunking: true), certificate);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _server?.Dispose();
        _chunkingServer?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public Task<long> SendRaw() => SmtpSender.SendRawAsync(_server!.Port, Tls, _stuffed, _count);

    /// <summary>MAIL, RCPT and DATA in one write, the data after the 354 reply: two round trips per message.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public Task<int> SendThroughClient() => SmtpSender.SendThroughClientAsync(_server!.Port, Tls, _messages, _count);

    /// <summary>MAIL and RCPT in one write, then one BDAT LAST chunk with the whole message.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public Task<int> SendWithBdat() =>
        SmtpSender.SendThroughClientAsync(_chunkingServer!.Port, Tls, _messages, _count);
}
