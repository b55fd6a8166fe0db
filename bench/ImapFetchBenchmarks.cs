using System.Buffers;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using RawMail.Protocols.Imap.Parsing;

namespace RawMail.Benchmarks;

/// <summary>
/// Parses a FETCH stream of 50,000 messages with ENVELOPE and BODYSTRUCTURE, against a plain
/// line-end scan of the same octets as the baseline.
/// </summary>
[MemoryDiagnoser]
public class ImapFetchBenchmarks
{
    private const int MessageCount = 50_000;

    private byte[] _stream = [];

    [GlobalSetup]
    public void Setup()
    {
        var builder = new StringBuilder();
        for (int i = 1; i <= MessageCount; i++)
        {
            string n = i.ToString(CultureInfo.InvariantCulture);
            builder.Append("* ").Append(n).Append(" FETCH (UID ").Append(n)
                .Append(" FLAGS (\\Seen) RFC822.SIZE 12345 INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" ENVELOPE ")
                .Append("(\"Wed, 11 Oct 2023 02:11:04 +0000\" \"Weekly digest ").Append(n)
                .Append("\" ((\"News Team\" NIL \"news\" \"lists.example.com\")) ((\"News Team\" NIL \"news\" ")
                .Append("\"lists.example.com\")) ((\"News Team\" NIL \"news\" \"lists.example.com\")) ")
                .Append("((NIL NIL \"bob\" \"example.org\")) NIL NIL NIL \"<msg-").Append(n)
                .Append("@lists.example.com>\") BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL ")
                .Append("\"quoted-printable\" 850 31 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL ")
                .Append("\"quoted-printable\" 14692 502 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"b1\") NIL NIL NIL))\r\n");
        }

        _stream = Encoding.ASCII.GetBytes(builder.ToString());
    }

    [Benchmark(Baseline = true)]
    public int ScanLineEnds()
    {
        int lines = 0;
        ReadOnlySpan<byte> rest = _stream;
        int end;
        while ((end = rest.IndexOf((byte)'\n')) >= 0)
        {
            lines++;
            rest = rest[(end + 1)..];
        }

        return lines;
    }

    [Benchmark]
    public int ParseFetchStream()
    {
        var parser = new ImapResponseParser();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_stream));
        int count = 0;
        while (parser.TryParse(ref reader, out _) == ImapParseStatus.Response)
        {
            count++;
        }

        return count;
    }
}
