using System.Buffers;
using FsCheck.Xunit;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Protocols.Pop3.Tests;

public sealed class Pop3ParserProperties
{
    private const int MaxLineLength = 64;

    [Property(MaxTest = 300)]
    public bool StuffedBody_RoundTripsForEverySegmentation(byte[] content, int[] splits)
    {
        byte[] body = content.Length == 0 ? content : [.. content, (byte)'\r', (byte)'\n'];
        byte[] wire = Stuff(body);

        (bool wholeComplete, string whole) =
            DotUnstufferTests.DecodeResumed(new ReadOnlySequence<byte>(wire), LineEnding.CrLf);
        (bool splitComplete, string split) =
            DotUnstufferTests.DecodeResumed(Segmenter.SplitAtAny(wire, splits), LineEnding.CrLf);
        (bool singleComplete, string single) =
            DotUnstufferTests.DecodeResumed(Segmenter.OneBytePerSegment(wire), LineEnding.CrLf);

        string expected = System.Text.Encoding.Latin1.GetString(body);
        return wholeComplete && splitComplete && singleComplete
            && whole == expected && split == expected && single == expected;
    }

    [Property(MaxTest = 500)]
    public bool Unstuffer_MatchesLineByLineReference(byte[] symbols, int[] splits, bool lenient)
    {
        // Few distinct octets, so dot lines, CRLF, bare LF and terminators occur often and fall on every boundary.
        byte[] data = [.. symbols.Select(static b => "a.\r\n"u8[b % 4])];
        LineEnding ending = lenient ? LineEnding.CrLfOrLf : LineEnding.CrLf;
        (bool expectedComplete, string expected) = ReferenceUnstuff(data, lenient);

        (bool resumedComplete, string resumed) =
            DotUnstufferTests.DecodeResumed(Segmenter.SplitAtAny(data, splits), ending);
        var unstuffer = new DotUnstuffer(ending);
        var output = new ArrayBufferWriter<byte>();
        var reader = new SequenceReader<byte>(Segmenter.SplitAtAny(data, splits));
        bool oneCallComplete = unstuffer.Decode(ref reader, output);
        string oneCall = System.Text.Encoding.Latin1.GetString(output.WrittenSpan);

        return resumedComplete == expectedComplete && resumed == expected
            && oneCallComplete == expectedComplete && oneCall == expected;
    }

    [Property(MaxTest = 300)]
    public bool Unstuffer_ArbitraryBytes_KeepsAtMostTwoBytes(byte[] data, bool lenient)
    {
        var unstuffer = new DotUnstuffer(lenient ? LineEnding.CrLfOrLf : LineEnding.CrLf);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(data));
        bool complete = unstuffer.Decode(ref reader, new ArrayBufferWriter<byte>());
        return complete || reader.Remaining <= 2;
    }

    [Property(MaxTest = 300)]
    public bool ReplyParser_ArbitraryBytes_TypedErrorOrBoundedWait(byte[] data, bool allowContinuation)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(data));
        try
        {
            bool complete = Pop3ReplyParser.TryParse(
                ref reader, MaxLineLength, LineEnding.CrLf, allowContinuation, out _);
            return complete || (reader.Consumed == 0 && data.Length <= MaxLineLength + 2);
        }
        catch (MailProtocolException ex)
        {
            return ex.Reason is ProtocolErrorReason.MalformedResponse or ProtocolErrorReason.LineTooLong;
        }
    }

    [Property(MaxTest = 300)]
    public bool UidlListing_SameResultForEverySegmentation(byte[] data, int[] splits)
    {
        string whole = ReadListing(new ReadOnlySequence<byte>(data));
        string split = ReadListing(Segmenter.SplitAtAny(data, splits));
        string single = ReadListing(Segmenter.OneBytePerSegment(data));
        return whole == split && whole == single;
    }

    [Property(MaxTest = 300)]
    public bool UidlListing_GeneratedEntriesRoundTrip(byte[] seeds, int[] splits)
    {
        var expected = new List<string>();
        var wire = new List<byte>();
        for (int i = 0; i < seeds.Length; i++)
        {
            string id = "id" + seeds[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture);
            string padding = new(' ', 1 + (seeds[i] % 3));
            expected.Add($"{i + 1}={id}");
            wire.AddRange(System.Text.Encoding.ASCII.GetBytes($"{i + 1}{padding}{id}\r\n"));
        }

        wire.AddRange(".\r\n"u8.ToArray());
        string result = ReadListing(Segmenter.SplitAtAny([.. wire], splits));
        return result == string.Join(",", expected) + "|complete";
    }

    // Adds a dot to every line that starts with one and appends the terminator (RFC 1939 section 3).
    private static byte[] Stuff(byte[] body)
    {
        var wire = new List<byte>(body.Length + 8);
        bool atLineStart = true;
        for (int i = 0; i < body.Length; i++)
        {
            if (atLineStart && body[i] == (byte)'.')
            {
                wire.Add((byte)'.');
            }

            wire.Add(body[i]);
            atLineStart = body[i] == (byte)'\n' && i > 0 && body[i - 1] == (byte)'\r';
        }

        wire.AddRange(".\r\n"u8.ToArray());
        return [.. wire];
    }

    /// <summary>Feeds segments as network reads would arrive and describes the items, the state or the error.</summary>
    private static string ReadListing(ReadOnlySequence<byte> sequence)
    {
        var listing = new MultilineLineReader<Pop3UniqueId>(
            MaxLineLength, 1000, LineEnding.CrLf, Pop3ListingParser.ParseUniqueIdListing);
        var pending = new List<byte>();
        try
        {
            foreach (ReadOnlyMemory<byte> segment in sequence)
            {
                pending.AddRange(segment.ToArray());
                var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(pending.ToArray()));
                listing.TryReadLines(ref reader, out bool complete);
                pending.RemoveRange(0, (int)reader.Consumed);
                if (complete)
                {
                    break;
                }
            }
        }
        catch (MailProtocolException ex)
        {
            return "error:" + ex.Reason;
        }

        string items = string.Join(",", listing.Items.Select(item => $"{item.Number}={item.UniqueId}"));
        return items + (listing.IsComplete ? "|complete" : "|pending:" + pending.Count);
    }

    /// <summary>
    /// RFC 1939 section 3 read one line start at a time: a line starting with "." loses that dot unless the line is
    /// the terminator. Output stops before a "." or ".CR" at the end that may still become the terminator.
    /// </summary>
    private static (bool Complete, string Body) ReferenceUnstuff(byte[] data, bool lenient)
    {
        var body = new List<byte>();
        bool lineStart = true;
        for (int i = 0; i < data.Length; i++)
        {
            if (lineStart && data[i] == (byte)'.')
            {
                bool crLf = i + 2 < data.Length && data[i + 1] == (byte)'\r' && data[i + 2] == (byte)'\n';
                bool lf = lenient && i + 1 < data.Length && data[i + 1] == (byte)'\n';
                if (crLf || lf)
                {
                    return (true, System.Text.Encoding.Latin1.GetString([.. body]));
                }

                bool undecided = i + 1 == data.Length || (i + 2 == data.Length && data[i + 1] == (byte)'\r');
                if (undecided)
                {
                    break;
                }

                i++;
            }

            body.Add(data[i]);
            lineStart = data[i] == (byte)'\n' && (lenient || (body.Count > 1 && body[^2] == (byte)'\r'));
        }

        return (false, System.Text.Encoding.Latin1.GetString([.. body]));
    }
}
