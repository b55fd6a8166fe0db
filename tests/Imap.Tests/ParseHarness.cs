using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using RawMail.Protocols.Imap.Model;
using RawMail.Protocols.Imap.Parsing;

namespace RawMail.Imap.Tests;

/// <summary>One streamed payload as the caller's sink received it.</summary>
public sealed record StreamedPayload(StreamedLiteral Literal, byte[] Data);

/// <summary>Feeds server octets to a parser the way a pipe would: in reads, keeping unconsumed octets.</summary>
public static class ParseHarness
{
    public static List<object> ParseAll(string text, ImapParserOptions? options = null)
    {
        return ParseAll(Encoding.UTF8.GetBytes(text), [], options);
    }

    /// <summary>Parses everything, delivering the input in reads that end at <paramref name="splits"/>.</summary>
    public static List<object> ParseAll(byte[] input, IEnumerable<int> splits, ImapParserOptions? options = null)
    {
        var reads = new List<byte[]>();
        int previous = 0;
        foreach (int split in splits.Where(s => s > 0 && s < input.Length).Distinct().Order())
        {
            reads.Add(input[previous..split]);
            previous = split;
        }

        reads.Add(input[previous..]);
        return ParseReads(reads, options);
    }

    public static List<object> ParseReads(IReadOnlyList<byte[]> reads, ImapParserOptions? options = null)
    {
        List<object> results = ParseReads(reads, options, out long leftover);
        Assert.Equal(0, leftover);
        return results;
    }

    /// <summary>Parses the reads and reports how many octets were left unconsumed at the end.</summary>
    public static List<object> ParseReads(IReadOnlyList<byte[]> reads, ImapParserOptions? options, out long leftover)
    {
        var parser = new ImapResponseParser(options);
        var results = new List<object>();
        var received = new List<byte[]>();
        long consumed = 0;
        MemoryStream? sink = null;
        foreach (byte[] read in reads)
        {
            received.Add(read);
            while (true)
            {
                ReadOnlySequence<byte> buffer = SegmentedSequence.Create(received, consumed);
                var reader = new SequenceReader<byte>(buffer);
                if (parser.PendingLiteral is { Remaining: > 0 } literal)
                {
                    bool done = parser.ReadLiteralChunk(ref reader, out ReadOnlySequence<byte> chunk);
                    foreach (ReadOnlyMemory<byte> part in chunk)
                    {
                        sink!.Write(part.Span);
                    }

                    consumed += reader.Consumed;
                    if (!done)
                    {
                        break;
                    }

                    results.Add(new StreamedPayload(literal, sink!.ToArray()));
                    continue;
                }

                ImapParseStatus status = parser.TryParse(ref reader, out ImapResponse? response);
                consumed += reader.Consumed;
                if (status == ImapParseStatus.NeedMoreData)
                {
                    Assert.Equal(0, reader.Consumed);
                    break;
                }

                Assert.True(reader.Consumed > 0, "The parser reported progress without consuming octets.");
                if (status == ImapParseStatus.Response)
                {
                    results.Add(response!);
                }
                else
                {
                    sink = new MemoryStream();
                }
            }
        }

        leftover = received.Sum(r => (long)r.Length) - consumed;
        return results;
    }

    /// <summary>Writes every public property, by runtime type, so two results compare as text.</summary>
    public static string Dump(object? value)
    {
        var builder = new StringBuilder();
        DumpValue(builder, value, 0);
        return builder.ToString();
    }

    public static string DumpAll(IEnumerable<object> values)
    {
        return string.Join("\n", values.Select(Dump));
    }

    private static void DumpValue(StringBuilder builder, object? value, int depth)
    {
        if (depth > 40)
        {
            throw new InvalidOperationException("The object graph is too deep to dump.");
        }

        switch (value)
        {
            case null:
                builder.Append("null");
                return;
            case string text:
                builder.Append('"').Append(text).Append('"');
                return;
            case byte[] bytes:
                builder.Append("bytes:").Append(Convert.ToHexString(bytes));
                return;
            case IFormattable formattable when value.GetType().IsPrimitive || value is Enum || value is DateTimeOffset:
                builder.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                return;
            case bool flag:
                builder.Append(flag);
                return;
            case char c:
                builder.Append('\'').Append(c).Append('\'');
                return;
            case IEnumerable items:
                builder.Append('[');
                foreach (object? item in items)
                {
                    DumpValue(builder, item, depth + 1);
                    builder.Append(',');
                }

                builder.Append(']');
                return;
        }

        Type type = value.GetType();
        builder.Append(type.Name).Append('{');
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            builder.Append(property.Name).Append('=');
            DumpValue(builder, property.GetValue(value), depth + 1);
            builder.Append(';');
        }

        builder.Append('}');
    }
}

/// <summary>Builds a multi-segment sequence that keeps the boundaries of the reads.</summary>
public static class SegmentedSequence
{
    public static ReadOnlySequence<byte> Create(IReadOnlyList<byte[]> reads, long skip)
    {
        Segment? first = null;
        Segment? last = null;
        foreach (byte[] read in reads)
        {
            ReadOnlyMemory<byte> memory = read;
            if (skip >= memory.Length)
            {
                skip -= memory.Length;
                continue;
            }

            memory = memory[(int)skip..];
            skip = 0;
            if (last is null)
            {
                first = last = new Segment(memory, 0);
            }
            else
            {
                last = last.Append(memory);
            }
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
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
