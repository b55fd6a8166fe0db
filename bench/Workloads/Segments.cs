using System.Buffers;

namespace RawMail.Benchmarks.Workloads;

/// <summary>
/// Splits a workload into fixed-size segments of one <see cref="ReadOnlySequence{T}"/>, so parsers see the same
/// segment boundaries as after a series of 16 KB pipe reads.
/// </summary>
internal static class Segments
{
    public const int DefaultSize = 16 * 1024;

    public static ReadOnlySequence<byte> Split(byte[] data, int segmentSize = DefaultSize)
    {
        if (data.Length <= segmentSize)
        {
            return new ReadOnlySequence<byte>(data);
        }

        var first = new Segment(data.AsMemory(0, segmentSize), 0);
        Segment last = first;
        for (int offset = segmentSize; offset < data.Length; offset += segmentSize)
        {
            last = last.Append(data.AsMemory(offset, Math.Min(segmentSize, data.Length - offset)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Counts the line ends of every segment with a vectorised search: the baseline of each workload.</summary>
    public static int CountLineEnds(in ReadOnlySequence<byte> data)
    {
        int lines = 0;
        foreach (ReadOnlyMemory<byte> memory in data)
        {
            ReadOnlySpan<byte> rest = memory.Span;
            int end;
            while ((end = rest.IndexOf((byte)'\n')) >= 0)
            {
                lines++;
                rest = rest[(end + 1)..];
            }
        }

        return lines;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
