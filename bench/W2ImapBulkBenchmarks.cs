using System.Buffers;
using BenchmarkDotNet.Attributes;
using RawMail.Benchmarks.Workloads;
using RawMail.Protocols.Imap.Model;
using RawMail.Protocols.Imap.Parsing;

namespace RawMail.Benchmarks;

/// <summary>
/// W2 IMAP bulk in memory: 2,000 untagged FETCH responses, each with a BODY[] literal of about 46 KB (93 MB in all),
/// parsed from 16 KB segments. Every body goes to a counting sink. The baseline is a line-end scan of the same
/// segments. <see cref="ParseBodies"/> keeps each body in memory as the parser's default does for
/// literals under 1 MB; <see cref="ParseBodiesStreamed"/> streams every body to the sink in chunks. Results are per
/// message, so the allocation beyond the body is the Allocated column less the body size.
/// </summary>
[MemoryDiagnoser]
public class W2ImapBulkBenchmarks
{
    private const int Messages = 2_000;

    private static readonly ImapParserOptions s_streamAll = new() { StreamingThreshold = 1 };

    private ReadOnlySequence<byte> _stream;
    private long _bodyOctets;

    [GlobalSetup]
    public void Setup()
    {
        int count = WorkloadSize.IsQuick ? 20 : Messages;
        byte[][] messages = ImapBulkWorkload.Messages();
        _stream = Segments.Split(ImapBulkWorkload.Generate(messages, count));
        _bodyOctets = ImapBulkWorkload.BodyOctets(messages, count);

        // The allocation beyond the body is the Allocated column less this size.
        Console.WriteLine($"// W2: {count} messages, {_bodyOctets / count} body octets per message on average.");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public int ScanLineEnds() => Segments.CountLineEnds(_stream);

    [Benchmark(OperationsPerInvoke = Messages)]
    public long ParseBodies()
    {
        var parser = new ImapResponseParser();
        var reader = new SequenceReader<byte>(_stream);
        var sink = new CountingStream();
        while (parser.TryParse(ref reader, out ImapResponse? response) == ImapParseStatus.Response)
        {
            if (response is FetchResponse { Sections: [{ Data: { } data }] })
            {
                sink.Write(data);
            }
        }

        return Check(sink.Length);
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public long ParseBodiesStreamed()
    {
        var parser = new ImapResponseParser(s_streamAll);
        var reader = new SequenceReader<byte>(_stream);
        var sink = new CountingStream();
        while (true)
        {
            ImapParseStatus status = parser.TryParse(ref reader, out _);
            if (status == ImapParseStatus.NeedMoreData)
            {
                break;
            }

            if (status == ImapParseStatus.LiteralStarted)
            {
                bool done;
                do
                {
                    done = parser.ReadLiteralChunk(ref reader, out ReadOnlySequence<byte> chunk);
                    foreach (ReadOnlyMemory<byte> segment in chunk)
                    {
                        sink.Write(segment.Span);
                    }
                }
                while (!done);
            }
        }

        return Check(sink.Length);
    }

    private long Check(long total) => total == _bodyOctets
        ? total
        : throw new InvalidOperationException($"Delivered {total} body octets, expected {_bodyOctets}.");
}
