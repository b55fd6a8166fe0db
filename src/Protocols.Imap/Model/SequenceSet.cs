namespace RawMail.Protocols.Imap.Model;

/// <summary>An inclusive range of sequence numbers or UIDs; <see cref="uint.MaxValue"/> is <c>*</c>.</summary>
public readonly record struct SequenceRange(uint Start, uint End);

/// <summary>A sequence-set or uid-set (RFC 9051 section 9) as its ranges in server order.</summary>
public sealed class SequenceSet
{
    public SequenceSet(IReadOnlyList<SequenceRange> ranges)
    {
        Ranges = ranges;
    }

    public IReadOnlyList<SequenceRange> Ranges { get; }

    /// <summary>Creates a set of one number.</summary>
    public static SequenceSet Of(uint number) => new([new SequenceRange(number, number)]);

    /// <summary>Creates a set of one range; <see cref="uint.MaxValue"/> as the end stands for <c>*</c>.</summary>
    public static SequenceSet Range(uint start, uint end) => new([new SequenceRange(start, end)]);

    /// <summary>Creates a set from numbers, joining runs of consecutive numbers into ranges.</summary>
    public static SequenceSet FromNumbers(IEnumerable<uint> numbers)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        var ranges = new List<SequenceRange>();
        foreach (uint n in numbers.Distinct().Order())
        {
            if (ranges.Count > 0 && ranges[^1].End != uint.MaxValue && ranges[^1].End + 1 == n)
            {
                ranges[^1] = ranges[^1] with { End = n };
            }
            else
            {
                ranges.Add(new SequenceRange(n, n));
            }
        }

        return new SequenceSet(ranges);
    }

    /// <summary>Expands the ranges to single numbers in server order; a range ending in <c>*</c> is not expanded.</summary>
    public IEnumerable<uint> Enumerate()
    {
        foreach (SequenceRange range in Ranges)
        {
            if (range.End == uint.MaxValue || range.Start == uint.MaxValue)
            {
                yield return range.Start;
                continue;
            }

            uint low = Math.Min(range.Start, range.End);
            uint high = Math.Max(range.Start, range.End);
            for (uint n = low; ; n++)
            {
                yield return n;
                if (n == high)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Formats the set in the wire syntax, for example <c>1:3,5</c>.</summary>
    public override string ToString()
    {
        return string.Join(',', Ranges.Select(static r => r.Start == r.End
            ? FormatNumber(r.Start)
            : FormatNumber(r.Start) + ":" + FormatNumber(r.End)));
    }

    private static string FormatNumber(uint n)
    {
        return n == uint.MaxValue ? "*" : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
