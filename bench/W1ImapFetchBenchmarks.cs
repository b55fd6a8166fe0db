using System.Buffers;
using BenchmarkDotNet.Attributes;
using RawMail.Benchmarks.Workloads;
using RawMail.Protocols.Imap.Model;
using RawMail.Protocols.Imap.Parsing;

namespace RawMail.Benchmarks;

/// <summary>
/// W1: parses an untagged FETCH stream with ENVELOPE and BODYSTRUCTURE into the typed model, every message
/// materialised, against a line-end scan of the same 16 KB segments as the baseline. Results are per message.
/// </summary>
[MemoryDiagnoser]
public class W1ImapFetchBenchmarks
{
    private const int Messages = 50_000;

    private ReadOnlySequence<byte> _stream;
    private int _messages;

    [GlobalSetup]
    public void Setup()
    {
        _messages = WorkloadSize.FetchMessages;
        _stream = Segments.Split(FetchStreamWorkload.Generate(_messages));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public int ScanLineEnds()
    {
        return Segments.CountLineEnds(_stream);
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public int ParseFetchStream()
    {
        var parser = new ImapResponseParser();
        var reader = new SequenceReader<byte>(_stream);
        int uids = 0;
        while (parser.TryParse(ref reader, out ImapResponse? response) == ImapParseStatus.Response)
        {
            uids += response is FetchResponse { Uid: not null } ? 1 : 0;
        }

        return uids == _messages ? uids : throw new InvalidOperationException($"Parsed {uids} of {_messages} messages.");
    }
}
