using System.Buffers;
using FsCheck;
using FsCheck.Fluent;

namespace RawMail.TestSupport;

/// <summary>
/// Builds multi-segment <see cref="ReadOnlySequence{T}"/> values from a byte array, so parser tests can check that
/// the result does not depend on where the network split the input.
/// </summary>
public static class Segmenter
{
    /// <summary>Splits <paramref name="data"/> at the given offsets (sorted, clamped and deduplicated).</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params IEnumerable<int> offsets)
    {
        ArgumentNullException.ThrowIfNull(data);
        int[] cuts = offsets
            .Select(offset => Math.Clamp(offset, 0, data.Length))
            .Append(0)
            .Append(data.Length)
            .Distinct()
            .Order()
            .ToArray();

        if (cuts.Length <= 2)
        {
            return new ReadOnlySequence<byte>(data);
        }

        var first = new Segment(data.AsMemory(cuts[0], cuts[1] - cuts[0]), 0);
        Segment last = first;
        for (int i = 1; i < cuts.Length - 1; i++)
        {
            last = last.Append(data.AsMemory(cuts[i], cuts[i + 1] - cuts[i]));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Splits at arbitrary integers by reducing each modulo the length plus one; for FsCheck inputs.</summary>
    public static ReadOnlySequence<byte> SplitAtAny(byte[] data, IEnumerable<int> rawOffsets)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Split(data, rawOffsets.Select(offset => (int)((uint)offset % (uint)(data.Length + 1))));
    }

    /// <summary>One byte per segment: the harshest segmentation.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Split(data, Enumerable.Range(1, Math.Max(0, data.Length - 1)));
    }

    /// <summary>Every two-segment split: one sequence per offset from 0 to the length.</summary>
    public static IEnumerable<ReadOnlySequence<byte>> EverySplit(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        for (int offset = 0; offset <= data.Length; offset++)
        {
            yield return Split(data, offset);
        }
    }

    /// <summary>FsCheck generator of split offsets within a buffer of <paramref name="length"/> bytes.</summary>
    public static Gen<int[]> SplitPoints(int length)
    {
        return Gen.ArrayOf(Gen.Choose(0, length));
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
