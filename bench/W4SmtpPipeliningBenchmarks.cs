using BenchmarkDotNet.Attributes;
using RawMail.Benchmarks.Workloads;
using RawMail.Protocols.Smtp;

namespace RawMail.Benchmarks;

/// <summary>
/// W4 SMTP bulk: 1,000 messages of about 19 KB sent over one connection with PIPELINING (RFC 2920) through
/// <see cref="SmtpClient.SendAsync(SmtpEnvelope, Stream, SmtpSendOptions?, CancellationToken)"/> to a replay server on
/// 127.0.0.1, against a raw sender that writes the same commands and dot-stuffed data without waiting for
/// replies. Results are per message.
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

    [GlobalSetup]
    public void Setup()
    {
        _count = WorkloadSize.IsQuick ? 20 : Messages;
        _messages = DotLineWorkload.Generate(Distinct, 19 * 1024);
        _stuffed = [.. _messages.Select(DotLineWorkload.Stuff)];
        _server = new LoopbackLineServer(SmtpReplaySession.Greeting, () => new SmtpReplaySession());
    }

    [GlobalCleanup]
    public void Cleanup() => _server?.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public Task<long> SendRaw() => SmtpSender.SendRawAsync(_server!.Port, _stuffed, _count);

    [Benchmark(OperationsPerInvoke = Messages)]
    public Task<int> SendThroughClient() => SmtpSender.SendThroughClientAsync(_server!.Port, _messages, _count);
}
