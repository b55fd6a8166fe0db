using System.Buffers;
using BenchmarkDotNet.Attributes;
using RawMail.Benchmarks.Workloads;
using RawMail.Mime;

namespace RawMail.Benchmarks;

/// <summary>
/// W5: parses messages of about 19 KB into the MIME model (W5), and in W5d also reads the decoded content of every
/// leaf part, against a line-end scan of the same 16 KB segments. Results are per message.
/// </summary>
[MemoryDiagnoser]
public class W5MimeBenchmarks
{
    private const int Messages = 10_000;

    private ReadOnlySequence<byte>[] _messages = [];

    [GlobalSetup]
    public void Setup()
    {
        _messages = [.. MimeWorkload.Generate(WorkloadSize.MimeMessages).Select(m => Segments.Split(m))];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public int ScanLineEnds()
    {
        int lines = 0;
        foreach (ReadOnlySequence<byte> message in _messages)
        {
            lines += Segments.CountLineEnds(message);
        }

        return lines;
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public long W5ParseMime() => ParseAll(_messages, decode: false);

    [Benchmark(OperationsPerInvoke = Messages)]
    public long W5dParseAndDecode() => ParseAll(_messages, decode: true);

    /// <summary>
    /// Parses every message; returns the count of top-level parts, or with <paramref name="decode"/> the decoded
    /// length of every leaf.
    /// </summary>
    internal static long ParseAll(ReadOnlySequence<byte>[] messages, bool decode)
    {
        long total = 0;
        foreach (ReadOnlySequence<byte> message in messages)
        {
            using MimeMessage parsed = Parse(message);
            if (decode)
            {
                total += DecodeLeaves(parsed.Body);
            }
            else
            {
                total += parsed.Body is Multipart multipart ? multipart.Children.Count : 1;
            }
        }

        return total;
    }

    private static MimeMessage Parse(ReadOnlySequence<byte> message)
    {
        using var parser = new MimeParser();
        var reader = new SequenceReader<byte>(message);
        parser.Parse(ref reader, isFinal: true);
        return parser.Complete();
    }

    /// <summary>Reads every leaf: text parts as text in their charset, other parts as decoded octets.</summary>
    private static long DecodeLeaves(MimeEntity? entity)
    {
        switch (entity)
        {
            case MimePart part when part.ContentType.MediaType == "text":
                return part.GetText().Length;
            case MimePart part:
                return part.Content.ToArray().Length;
            case Multipart multipart:
                long total = 0;
                foreach (MimeEntity child in multipart.Children)
                {
                    total += DecodeLeaves(child);
                }

                return total;
            case MessagePart attached:
                return DecodeLeaves(attached.Message.Body);
            default:
                return 0;
        }
    }
}
