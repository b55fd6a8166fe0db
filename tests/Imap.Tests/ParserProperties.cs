using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RawMail.Protocols.Imap;
using RawMail.Protocols.Imap.Model;
using RawMail.Protocols.Imap.Parsing;

namespace RawMail.Imap.Tests;

public sealed class ParserProperties
{
    private static readonly string[] s_corpus =
    [
        ServerQuirkTests.ExchangeExtensionFields, ServerQuirkTests.InvalidNumbers, ServerQuirkTests.DispositionAsLiteral,
        ServerQuirkTests.EmptyParenthesizedAddressList, ServerQuirkTests.CharacterCountLiteral,
        ServerQuirkTests.GmailLabels, ServerQuirkTests.MicrosoftResponseCodes, ServerQuirkTests.ByeResponses,
        ServerQuirkTests.Continuations, ServerQuirkTests.LiteralLooksLikeProtocol, ServerQuirkTests.SplitAcrossReads,
        ServerQuirkTests.NonCanonicalMailboxNames, ServerQuirkTests.EightBitStrings,
        "* 1 FETCH (BODY[1] {20}\r\n" + new string('a', 20) + " BODY[2] {30}\r\n" + new string('b', 30) + ")\r\nA OK x\r\n",
        "* 1 FETCH (BODY[1] {20}\r\n" + new string('a', 20) + " BODY[2] {3}\r\nabc X-FOO {40}\r\n" + new string('x', 40)
            + ")\r\n",
    ];

    private static readonly ImapParserOptions s_streamFrom16 = new() { StreamingThreshold = 16 };

    private static readonly ImapParserOptions s_small = new()
    {
        MaxLineLength = 256,
        MaxLiteralSize = 512,
        MaxResponseSize = 2048,
        MaxNestingDepth = 8,
        StreamingThreshold = 64,
    };

    // Fragments that make random input reach deep into the grammar instead of failing at the first octet.
    private static readonly string[] s_fragments =
    [
        "* ", "+ ", "A1 ", "OK ", "NO ", "BYE", "FETCH ", "LIST ", "STATUS ", "SEARCH ", "ESEARCH ", "1 ", "42 ",
        "(", ")", "[", "]", "\"", "\\", "{", "}", "~{", "{3}\r\n", "{0}\r\n", "{99}\r\n", "{70}\r\n", "NIL ", "\r\n",
        "\n", " ", "UID ", "FLAGS ", "BODY[", "BODYSTRUCTURE ", "ENVELOPE ", "X-GM-LABELS ", "ÿ", "é", "&-", "<0>",
        "INTERNALDATE ", "\"17-Jul-1996 02:44:25 -0700\"", "-1 ", "9e9 ", "[COPYUID 1 2 3]", "VANISHED ", "\0",
    ];

    private static Gen<int[]> SplitPoints(int length)
    {
        return Gen.Choose(0, length).ArrayOf();
    }

    [Property(MaxTest = 300)]
    public Property AnySegmentationSameResult()
    {
        Gen<(string Text, int[] Splits)> cases =
            from text in Gen.Elements(s_corpus)
            from splits in SplitPoints(Encoding.UTF8.GetByteCount(text))
            select (text, splits);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            byte[] input = Encoding.UTF8.GetBytes(c.Text);
            string whole = ParseHarness.DumpAll(ParseHarness.ParseAll(input, []));
            string split = ParseHarness.DumpAll(ParseHarness.ParseAll(input, c.Splits));
            return whole == split;
        });
    }

    [Property(MaxTest = 200)]
    public Property AnySegmentationSameStreamedResult()
    {
        Gen<(string Text, int[] Splits)> cases =
            from text in Gen.Elements(s_corpus)
            from splits in SplitPoints(Encoding.UTF8.GetByteCount(text))
            select (text, splits);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            byte[] input = Encoding.UTF8.GetBytes(c.Text);
            string whole = ParseHarness.DumpAll(ParseHarness.ParseAll(input, [], s_streamFrom16));
            string split = ParseHarness.DumpAll(ParseHarness.ParseAll(input, c.Splits, s_streamFrom16));
            return whole == split;
        });
    }

    [Fact]
    public void EveryOctetSplitSameResult()
    {
        foreach (string text in s_corpus)
        {
            byte[] input = Encoding.UTF8.GetBytes(text);
            string whole = ParseHarness.DumpAll(ParseHarness.ParseAll(input, []));
            for (int split = 1; split < input.Length; split++)
            {
                Assert.Equal(whole, ParseHarness.DumpAll(ParseHarness.ParseAll(input, [split])));
            }
        }
    }

    [Property(MaxTest = 1000)]
    public Property ArbitraryBytesNeverCrash()
    {
        Gen<byte[]> raw = ArbMap.Default.GeneratorFor<byte[]>();
        Gen<byte[]> tokens = Gen.Elements(s_fragments).ArrayOf().Select(f => Encoding.UTF8.GetBytes(string.Concat(f)));
        Gen<(byte[] Input, int[] Splits)> cases =
            from input in Gen.OneOf(raw, tokens, MutatedCorpus())
            from splits in SplitPoints(input.Length)
            select (input, splits);
        return Prop.ForAll(cases.ToArbitrary(), c => ParsesOrFailsTyped(c.Input, c.Splits));
    }

    /// <summary>Corpus responses with a few octets replaced, inserted or removed, to reach deep grammar paths.</summary>
    private static Gen<byte[]> MutatedCorpus()
    {
        Gen<(int Kind, int Position, byte Value)> edits =
            from kind in Gen.Choose(0, 2)
            from position in Gen.Choose(0, int.MaxValue)
            from value in Gen.Elements("()[]{}\"\\ \r\n*+~0123456789NIL<>.,:"u8.ToArray())
            select (kind, position, value);
        return from text in Gen.Elements(s_corpus)
               from changes in edits.ArrayOf()
               select Mutate(Encoding.UTF8.GetBytes(text), changes);
    }

    private static byte[] Mutate(byte[] input, (int Kind, int Position, byte Value)[] changes)
    {
        var bytes = new List<byte>(input);
        foreach ((int kind, int position, byte value) in changes)
        {
            int at = position % (bytes.Count + 1);
            if (kind == 0 || bytes.Count == 0)
            {
                bytes.Insert(at, value);
            }
            else if (at < bytes.Count && kind == 1)
            {
                bytes[at] = value;
            }
            else if (at < bytes.Count)
            {
                bytes.RemoveAt(at);
            }
        }

        return [.. bytes];
    }

    private static bool ParsesOrFailsTyped(byte[] input, int[] splits)
    {
        var reads = new List<byte[]>();
        int previous = 0;
        foreach (int split in splits.Where(s => s > 0 && s < input.Length).Distinct().Order())
        {
            reads.Add(input[previous..split]);
            previous = split;
        }

        reads.Add(input[previous..]);
        try
        {
            ParseHarness.ParseReads(reads, s_small, out long leftover);

            // Whatever waits for more data is bounded by the limits, never by the input length.
            return leftover <= s_small.MaxResponseSize + s_small.MaxLineLength;
        }
        catch (ImapParseException)
        {
            return true;
        }
    }

    [Property(MaxTest = 300)]
    public Property ModifiedUtf7RoundTrips()
    {
        Gen<string> names = Gen.Elements("a", "&", "-", "ä", "Д", "中", "😀", "/", " ", "~", "\u0001", "+", ",")
            .ArrayOf().Select(string.Concat);
        return Prop.ForAll(names.ToArbitrary(), name =>
        {
            string encoded = ModifiedUtf7.Encode(name);
            return ModifiedUtf7.TryDecode(encoded, out string? decoded) && decoded == name
                && ModifiedUtf7.IsCanonical(encoded) && encoded.All(c => c is >= ' ' and <= '~');
        });
    }

    private static Gen<string> Text(string alphabet, int min)
    {
        return Gen.Elements(alphabet.EnumerateRunes().Select(r => r.ToString()).ToArray()).ArrayOf()
            .Where(a => a.Length >= min).Select(string.Concat);
    }

    private static readonly Gen<GeneratedFetch> s_fetches =
        from sequence in Gen.Choose(1, 100000)
        from uid in Gen.Choose(1, int.MaxValue)
        from flags in Gen.SubListOf("\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", "$Junk", "Work")
        from size in Gen.Choose(0, int.MaxValue)
        from subject in Text("abc XYZ\"\\()[]{}é中😀\r\n", 0)
        from senders in (
            from name in Gen.OrNull(Text("ab \"\\Ö", 0))
            from mailbox in Text("abcxyz.", 1)
            from host in Text("example.org", 1)
            select new GeneratedAddress(name, mailbox, host)).ArrayOf()
        from messageId in Gen.OrNull(Text("<abc@x>", 1))
        from parts in (
            from type in Gen.Elements("text", "image", "application")
            from subtype in Gen.Elements("plain", "html", "png", "pdf")
            from charset in Gen.Elements("utf-8", "iso-8859-1")
            from encoding in Gen.Elements("7bit", "base64", "quoted-printable")
            from partSize in Gen.Choose(0, 1 << 30)
            from lines in Gen.Choose(0, 100000)
            select new GeneratedPart(type, subtype, charset, encoding, partSize, lines)).NonEmptyListOf()
        from body in Gen.Choose(0, 127).Select(b => (byte)b).ArrayOf()
        select new GeneratedFetch((uint)sequence, (uint)uid, flags.ToArray(), size, subject, senders, messageId,
            parts.ToArray(), body);

    [Property(MaxTest = 200)]
    public Property FetchRoundTrips()
    {
        Gen<(GeneratedFetch Fetch, bool Literals)> cases =
            from fetch in s_fetches
            from literals in ArbMap.Default.GeneratorFor<bool>()
            select (fetch, literals);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            GeneratedFetch expected = c.Fetch;
            var parsed = Assert.IsType<FetchResponse>(Assert.Single(
                ParseHarness.ParseAll(WireWriter.WriteFetch(expected, c.Literals))));
            Assert.Equal(expected.Sequence, parsed.SequenceNumber);
            Assert.Equal(expected.Uid, parsed.Uid);
            Assert.Equal(expected.Flags.Where(f => !f.StartsWith('\\')), parsed.Keywords);
            Assert.Equal(expected.Flags.Count(f => f.StartsWith('\\')), PopCount(parsed.Flags!.Value));
            Assert.Equal(expected.Size, parsed.Size);
            Assert.Equal(expected.Subject, parsed.Envelope!.Subject);
            Assert.Equal(expected.From.Select(a => (a.Name, a.Mailbox + "@" + a.Host)),
                parsed.Envelope.From.Cast<MailboxAddress>().Select(a => (a.DisplayName, a.Address)));
            Assert.Equal(expected.MessageId, parsed.Envelope.MessageId);
            IReadOnlyList<BodyPart> parts = expected.Parts.Length == 1
                ? [parsed.BodyStructure!]
                : Assert.IsType<Multipart>(parsed.BodyStructure).Children;
            Assert.Equal(expected.Parts.Select(p => (p.Type, p.Subtype, p.Charset, p.Encoding, (long?)p.Size,
                    p.Type == "text" ? (long?)p.Lines : null)),
                parts.Cast<SinglePart>().Select(p => (p.MediaType, p.MediaSubtype, p.GetParameter("charset")!,
                    p.Encoding!, p.Size, p.Lines)));
            Assert.Equal(expected.Body, Assert.Single(parsed.Sections).Data);
            return true;
        });
    }

    private static int PopCount(MessageFlags flags)
    {
        return System.Numerics.BitOperations.PopCount((uint)flags);
    }

    [Property(MaxTest = 200)]
    public Property ListRoundTrips()
    {
        Gen<GeneratedMailbox> mailboxes =
            from attributes in Gen.SubListOf("\\HasChildren", "\\Noselect", "\\Sent", "\\X-Other")
            from delimiter in Gen.Elements<char?>('/', '.', '|', '\\', null)
            from name in Text("INBOX/ä&-中 \"\\", 1)
            select new GeneratedMailbox(attributes.ToArray(), delimiter, name);
        return Prop.ForAll(mailboxes.ToArbitrary(), expected =>
        {
            var parsed = Assert.IsType<MailboxInfo>(Assert.Single(ParseHarness.ParseAll(WireWriter.WriteList(expected))));
            return parsed.Name == expected.Name
                && parsed.EncodedName == ModifiedUtf7.Encode(expected.Name)
                && parsed.Delimiter == expected.Delimiter
                && parsed.OtherAttributes.SequenceEqual(expected.Attributes.Where(a => a == "\\X-Other"))
                && System.Numerics.BitOperations.PopCount((uint)parsed.Attributes) == expected.Attributes.Length
                    - parsed.OtherAttributes.Count;
        });
    }

    [Property(MaxTest = 200)]
    public Property StatusRoundTrips()
    {
        Gen<GeneratedStatus> statuses =
            from name in Text("Archiv/2024 ü", 1)
            from messages in Gen.Choose(0, int.MaxValue)
            from uidNext in Gen.Choose(1, int.MaxValue)
            from unseen in Gen.Choose(0, int.MaxValue)
            from modSeq in ArbMap.Default.GeneratorFor<ulong>()
            select new GeneratedStatus(name, (uint)messages, (uint)uidNext, (uint)unseen, modSeq);
        return Prop.ForAll(statuses.ToArbitrary(), expected =>
        {
            var parsed = Assert.IsType<MailboxStatus>(Assert.Single(ParseHarness.ParseAll(WireWriter.WriteStatus(expected))));
            return parsed.Name == expected.Name && parsed.Messages == expected.Messages
                && parsed.UidNext == expected.UidNext && parsed.Unseen == expected.Unseen
                && parsed.HighestModSeq == expected.HighestModSeq;
        });
    }

    [Property(MaxTest = 200)]
    public Property SearchRoundTrips(uint[] numbers)
    {
        var parsed = Assert.IsType<SearchResponse>(Assert.Single(ParseHarness.ParseAll(WireWriter.WriteSearch(numbers))));
        return parsed.Numbers.SequenceEqual(numbers).ToProperty();
    }
}
