using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using RawMail.Benchmarks.Workloads;
using RawMail.Mime;

namespace RawMail.Benchmarks;

/// <summary>
/// A Stopwatch harness for the W5 MIME parse without BenchmarkDotNet. Each round runs the line-end scan, the parse
/// (W5) and the parse with every leaf decoded (W5d) one after another. The best processor time of each is printed
/// with the octets allocated per message.
/// </summary>
internal static class W5MimeMeasure
{
    public static void Run(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        ReadOnlySequence<byte>[] messages = [.. MimeWorkload.Generate(count).Select(m => Segments.Split(m))];
        long octets = messages.Sum(m => m.Length);
        Console.WriteLine($"W5: {count} messages, {octets} octets, {octets / count} octets per message");

        var scan = new Timing("scan", count);
        var parse = new Timing("W5 parse", count);
        var decode = new Timing("W5d parse and decode", count);
        W5MimeBenchmarks.ParseAll(messages, decode: true);
        for (int round = 0; round < rounds; round++)
        {
            scan.Run(() => messages.Sum(m => Segments.CountLineEnds(m)));
            parse.Run(() => W5MimeBenchmarks.ParseAll(messages, decode: false));
            decode.Run(() => W5MimeBenchmarks.ParseAll(messages, decode: true));
        }

        scan.Print(null);
        parse.Print(scan);
        decode.Print(scan);
    }

    // Processor time leaves out the time the process waited for a core, so it moves less than wall time when other
    // processes load the machine. Its resolution can be as coarse as 10 ms.
    private sealed class Timing(string name, int messages)
    {
        private double _wallBest = double.MaxValue;
        private double _cpuBest = double.MaxValue;
        private long _allocated;

        public void Run(Func<long> work)
        {
            using var process = Process.GetCurrentProcess();
            TimeSpan cpu = process.TotalProcessorTime;
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            work();
            _wallBest = Math.Min(_wallBest, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            _allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            process.Refresh();
            _cpuBest = Math.Min(_cpuBest, (process.TotalProcessorTime - cpu).TotalMilliseconds);
        }

        public void Print(Timing? baseline)
        {
            string ratio = baseline is null ? string.Empty
                : $"  ratio {_cpuBest / baseline._cpuBest,6:F1}x processor, {_wallBest / baseline._wallBest,6:F1}x wall";
            Console.WriteLine($"{name,-22} processor {_cpuBest,8:F1} ms  wall {_wallBest,8:F1} ms  "
                + $"{_cpuBest * 1e6 / messages,8:F0} ns/message  {(double)_allocated / messages,8:F0} B/message{ratio}");
        }
    }
}
