using BenchmarkDotNet.Attributes;
using RawMail.Benchmarks.Workloads;
using RawMail.Protocols.Smtp;

namespace RawMail.Benchmarks;

/// <summary>
/// SMTP DATA throughput: one message of about 8 MB whose lines are short and often start with "." (about one in 13),
/// so the client's dot-stuffing (RFC 5321 section 4.5.2) and line-end handling dominate, sent through
/// <see cref="SmtpClient"/> to a replay server on 127.0.0.1 against a raw sender writing the same stuffed octets.
/// Results are per message.
/// </summary>
[MemoryDiagnoser]
public class SmtpDataStuffingBenchmarks
{
    private byte[][] _message = [];
    private byte[][] _stuffed = [];
    private LoopbackLineServer? _server;

    [GlobalSetup]
    public void Setup()
    {
        _message = DotLineWorkload.Generate(1, WorkloadSize.IsQuick ? 256 * 1024 : 8 * 1024 * 1024);
        _stuffed = [DotLineWorkload.Stuff(_message[0])];
        _server = new LoopbackLineServer(SmtpReplaySession.Greeting, () => new SmtpReplaySession());
    }

    [GlobalCleanup]
    public void Cleanup() => _server?.Dispose();

    [Benchmark(Baseline = true)]
    public Task<long> SendRaw() => SmtpSender.SendRawAsync(_server!.Port, tls: false, _stuffed, 1);

    [Benchmark]
    public Task<int> SendThroughClient() => SmtpSender.SendThroughClientAsync(_server!.Port, tls: false, _message, 1);
}
