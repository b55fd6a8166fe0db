using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using RawMail.Benchmarks.Workloads;
using RawMail.Protocols.Imap.Model;
using RawMail.Protocols.Imap.Parsing;

namespace RawMail.Benchmarks.Harness;

/// <summary>
/// A quick Stopwatch harness for profiling the W1 parse without BenchmarkDotNet: best-of-N wall time of the parser
/// and of the line-end scan in the same process, and the octets allocated per message.
/// </summary>
internal static class Measure
{
    public static void Run(string[] args)
    {
        int messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        byte[] data = FetchStreamWorkload.Generate(messages);
        ReadOnlySequence<byte> sequence = Segments.Split(data);
        Console.WriteLine($"W1: {messages} messages, {data.Length} octets, {data.Length / messages} octets per message");

        var sizes = new ModelSize();
        ParseAll(sequence, sizes);
        double scanBest = double.MaxValue;
        double parseBest = double.MaxValue;
        double scanCpuBest = double.MaxValue;
        double parseCpuBest = double.MaxValue;
        long allocated = 0;
        using var process = Process.GetCurrentProcess();
        for (int round = 0; round < rounds; round++)
        {
            // Processor time is reported beside wall time because other processes load the machine: it leaves
            // out the time this process waited for a core.
            process.Refresh();
            TimeSpan cpu = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            Segments.CountLineEnds(sequence);
            scanBest = Math.Min(scanBest, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            process.Refresh();
            scanCpuBest = Math.Min(scanCpuBest, (process.TotalProcessorTime - cpu).TotalMilliseconds);

            long before = GC.GetAllocatedBytesForCurrentThread();
            cpu = process.TotalProcessorTime;
            start = Stopwatch.GetTimestamp();
            ParseAll(sequence, null);
            parseBest = Math.Min(parseBest, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            process.Refresh();
            parseCpuBest = Math.Min(parseCpuBest, (process.TotalProcessorTime - cpu).TotalMilliseconds);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        double perMessage = (double)allocated / messages;
        double strings = (double)sizes.StringBytes / messages;
        Console.WriteLine($"scan  best {scanBest,9:F2} ms");
        Console.WriteLine($"parse best {parseBest,9:F2} ms  ratio {parseBest / scanBest:F1}x  {parseBest * 1000 * 1000 / messages:F0} ns/message");
        Console.WriteLine($"processor time best: scan {scanCpuBest:F1} ms, parse {parseCpuBest:F1} ms (clock ticks of 10 ms or more)");
        Console.WriteLine($"allocated {perMessage:F0} B/message, model strings {strings:F0} B/message, beyond strings {perMessage - strings:F0} B/message");
    }

    private static void ParseAll(ReadOnlySequence<byte> sequence, ModelSize? sizes)
    {
        var parser = new ImapResponseParser();
        var reader = new SequenceReader<byte>(sequence);
        while (parser.TryParse(ref reader, out ImapResponse? response) == ImapParseStatus.Response)
        {
            if (sizes is not null && response is FetchResponse fetch)
            {
                sizes.Add(fetch);
            }
        }

        if (!reader.End)
        {
            throw new InvalidOperationException($"The parser stopped at offset {reader.Consumed}.");
        }
    }
}
