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
