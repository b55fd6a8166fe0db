using System.Buffers;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using RawMail.Benchmarks.Workloads;
using RawMail.Protocols.Imap.Model;
using RawMail.Protocols.Imap.Parsing;
using RawMail.Transport;

namespace RawMail.Benchmarks;

/// <summary>
/// W1 over a loopback socket: a replay server on 127.0.0.1 sends the W1 stream on every connection; the parser
/// reads it through <see cref="MailConnection"/>, against a raw drain of the same socket as the baseline. With
/// <see cref="Tls"/> both sides read through TLS. Results are per message.
/// </summary>
[MemoryDiagnoser]
public class W1SocketBenchmarks
{
    private const int Messages = 50_000;

    private LoopbackLineServer? _server;
    private int _messages;

    /// <summary>Whether the replay server wraps the socket in TLS (implicit TLS, as on port 993).</summary>
    [Params(false, true)]
    public bool Tls { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _messages = WorkloadSize.FetchMessages;
        byte[] stream = FetchStreamWorkload.Generate(_messages);
        _server = new LoopbackLineServer(stream, newSession: null, Tls ? BenchCertificates.Shared.Server : null);
    }

    [GlobalCleanup]
    public void Cleanup() => _server?.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task<long> DrainSocket()
    {
        await using Stream stream = await RawClient.OpenAsync(_server!.Port, Tls);
        return await RawClient.DrainAsync(stream);
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task<int> ParseFromConnection()
    {
        await using MailConnection connection = await MailConnection.ConnectAsync(
            LoopbackOptions.Connection(_server!.Port, Tls));
        var parser = new ImapResponseParser();
        int uids = 0;
        while (true)
        {
            ReadResult result = await connection.ReadAsync();
            uids += ParseBuffered(parser, result.Buffer, out SequencePosition consumed);
            connection.AdvanceTo(consumed, result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        return uids == _messages ? uids : throw new InvalidOperationException($"Parsed {uids} of {_messages} messages.");
    }

    private static int ParseBuffered(ImapResponseParser parser, ReadOnlySequence<byte> buffer,
        out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        int uids = 0;
        while (parser.TryParse(ref reader, out ImapResponse? response) == ImapParseStatus.Response)
        {
            uids += response is FetchResponse { Uid: not null } ? 1 : 0;
        }

        consumed = reader.Position;
        return uids;
    }
}
