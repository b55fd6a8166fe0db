using System.Globalization;
using System.Text;

namespace RawMail.Benchmarks.Workloads;

/// <summary>
/// Builds the W1 workload: an untagged FETCH stream with UID, FLAGS, RFC822.SIZE, INTERNALDATE, ENVELOPE and
/// BODYSTRUCTURE per message, about 960 octets each, generated from a fixed seed so every run parses the same octets.
/// </summary>
/// <remarks>
/// The mix follows what a large mailbox sends: quoted strings with escapes, NIL fields, RFC 2047 subjects and
/// names, 30% of subjects as 8-bit literals, group syntax, single text parts, multipart/alternative with a
/// related inline image, multipart/mixed with 1-4 attachments named per RFC 2231, and a few nested
/// message/rfc822 parts. Most parts carry extension data.
/// </remarks>
internal static class FetchStreamWorkload
{
    public const int Seed = 20261204;

    private static readonly string[] s_firstNames =
        ["Alice", "Bob", "Carol", "Dave", "Eve", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Olivia"];

    private static readonly string[] s_lastNames =
        ["Smith", "Jones", "O'Brien", "Müller", "García", "Novák", "Østergaard", "Kowalski", "Nguyen", "Lee"];

    private static readonly string[] s_hosts =
        ["example.com", "example.org", "mail.example.net", "lists.example.com", "corp.example.co.uk"];

    private static readonly string[] s_subjects =
        ["Quarterly report", "Re: lunch on Friday?", "Build failed on main", "Invoice 2026-118",
            "Fwd: the \"final\" slides", "Meeting notes \\ action items", "Your order has shipped",
            "Weekly digest", "Re: Re: budget review", "Holiday schedule"];

    private static readonly string[] s_eightBitSubjects =
        ["Größenänderung der Anhänge", "Réunion de l'équipe à 10h", "Ежедневный отчёт", "会議の議事録",
            "Çalışma planı güncellendi", "Zápis z porady"];

    private static readonly string[] s_months =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private static readonly string[] s_days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    private static readonly string[] s_attachments =
        ["report.pdf", "scan 0042.jpg", "données.xlsx", "übersicht.docx", "photo.png", "archive.zip"];

    /// <summary>Returns the stream of <paramref name="messageCount"/> FETCH responses.</summary>
    public static byte[] Generate(int messageCount)
    {
        var random = new Random(Seed);
        using var output = new MemoryStream(messageCount * 1000);
        var line = new StringBuilder(1200);
        for (int i = 1; i <= messageCount; i++)
        {
            line.Clear();
            byte[]? literal = AppendFetchHead(line, random, i);
            Write(output, line);
            line.Clear();
            if (literal is not null)
            {
                output.Write(literal);
            }

            AppendFetchTail(line, random, i);
            Write(output, line);
        }

        return output.ToArray();
    }

    private static void Write(MemoryStream output, StringBuilder text)
    {
        output.Write(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>Appends the response up to the subject; returns the literal octets when the subject is one.</summary>
    private static byte[]? AppendFetchHead(StringBuilder line, Random random, int sequence)
    {
        string n = sequence.ToString(CultureInfo.InvariantCulture);
        line.Append("* ").Append(n).Append(" FETCH (UID ").Append(sequence + 1000).Append(" FLAGS (")
            .Append(Flags(random)).Append(") RFC822.SIZE ").Append(random.Next(800, 2_000_000))
            .Append(" INTERNALDATE \"").Append(InternalDate(random)).Append("\" ENVELOPE (\"")
            .Append(MessageDate(random)).Append("\" ");
        if (random.Next(100) < 30)
        {
            byte[] subject = Encoding.UTF8.GetBytes(Pick(random, s_eightBitSubjects) + " #" + n);
            line.Append('{').Append(subject.Length).Append("}\r\n");
            return subject;
        }

        line.Append(QuotedSubject(random, n));
        return null;
    }

    private static void AppendFetchTail(StringBuilder line, Random random, int sequence)
    {
        string from = Address(random);
        line.Append(' ').Append('(').Append(from).Append(") (").Append(from).Append(") ");
        line.Append(random.Next(4) == 0 ? "((\"Replies\" NIL \"replies\" \"example.com\"))" : "NIL").Append(' ');
        AppendRecipients(line, random);
        line.Append(' ').Append(random.Next(3) == 0 ? "(" + Address(random) + ")" : "NIL").Append(" NIL ");
        line.Append(random.Next(2) == 0 ? "NIL" : "\"<prev-" + random.Next(1_000_000) + "@example.com>\"");
        line.Append(" \"<msg-").Append(sequence).Append('.').Append(random.Next(1_000_000)).Append('@')
            .Append(Pick(random, s_hosts)).Append(">\") BODYSTRUCTURE ");
        AppendBody(line, random, nested: true);
        line.Append(")\r\n");
    }

    private static void AppendRecipients(StringBuilder line, Random random)
    {
        if (random.Next(20) == 0)
        {
            // Group syntax (RFC 9051 section 7.5.2): a start marker with the group name, members, an end marker.
            line.Append("((NIL NIL \"team\" NIL)").Append(Address(random)).Append(Address(random))
                .Append("(NIL NIL NIL NIL))");
            return;
        }

        line.Append('(');
        int count = 1 + random.Next(3);
        for (int i = 0; i < count; i++)
        {
            line.Append(Address(random));
        }

        line.Append(')');
    }

    private static string Address(Random random)
    {
        string first = Pick(random, s_firstNames);
        string last = Pick(random, s_lastNames);
        string name = random.Next(4) switch
        {
            0 => "NIL",
            1 => "\"" + EncodeWordB(first + " " + last) + "\"",
            _ => "\"" + Ascii(first + " " + last) + "\"",
        };
        return "(" + name + " NIL \"" + first.ToLowerInvariant() + "." + Ascii(last).ToLowerInvariant()
            .Replace("'", string.Empty, StringComparison.Ordinal) + "\" \"" + Pick(random, s_hosts) + "\")";
    }

    private static string QuotedSubject(Random random, string n)
    {
        string subject = Pick(random, s_subjects);
        return random.Next(3) switch
        {
            0 => "\"" + EncodeWordB(subject + " " + n) + "\"",
            1 => "\"=?iso-8859-1?Q?" + subject.Replace(' ', '_').Replace("\"", "=22", StringComparison.Ordinal)
                .Replace("\\", "=5C", StringComparison.Ordinal) + "_" + n + "?=\"",
            _ => "\"" + (subject + " " + n).Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        };
    }

    private static void AppendBody(StringBuilder line, Random random, bool nested)
    {
        int kind = random.Next(100);
        if (kind < 30)
        {
            AppendTextPart(line, random, "plain");
        }
        else if (kind < 65)
        {
            AppendAlternative(line, random);
        }
        else if (kind < 97 || !nested)
        {
            AppendMixed(line, random, nested);
        }
        else
        {
            line.Append('(');
            AppendTextPart(line, random, "plain");
            line.Append("(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" ").Append(random.Next(2000, 90_000))
                .Append(" (\"").Append(MessageDate(random)).Append("\" \"Original message\" (").Append(Address(random))
                .Append(") NIL NIL (").Append(Address(random)).Append(") NIL NIL NIL \"<orig@example.com>\") ");
            AppendBody(line, random, nested: false);
            line.Append(' ').Append(random.Next(20, 900)).Append(" NIL NIL NIL NIL)")
                .Append(" \"mixed\" (\"boundary\" \"=_outer_").Append(random.Next()).Append("\") NIL NIL NIL)");
        }
    }

    private static void AppendTextPart(StringBuilder line, Random random, string subtype)
    {
        string encoding = random.Next(3) switch { 0 => "7bit", 1 => "quoted-printable", _ => "base64" };
        line.Append("(\"text\" \"").Append(subtype).Append("\" (\"charset\" \"")
            .Append(random.Next(4) == 0 ? "iso-8859-1" : "utf-8").Append("\") NIL NIL \"").Append(encoding)
            .Append("\" ").Append(random.Next(200, 40_000)).Append(' ').Append(random.Next(5, 800));
        line.Append(random.Next(5) == 0 ? ")" : " NIL NIL NIL NIL)");
    }

    private static void AppendAlternative(StringBuilder line, Random random)
    {
        line.Append('(');
        AppendTextPart(line, random, "plain");
        if (random.Next(2) == 0)
        {
            line.Append("((\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" ")
                .Append(random.Next(1000, 90_000)).Append(' ').Append(random.Next(20, 2000)).Append(" NIL NIL NIL NIL)");
            int images = 1 + random.Next(2);
            for (int i = 0; i < images; i++)
            {
                line.Append("(\"image\" \"png\" (\"name\" \"logo").Append(i).Append(".png\") \"<img").Append(i)
                    .Append('.').Append(random.Next()).Append("@example.com>\" NIL \"base64\" ")
                    .Append(random.Next(2000, 60_000)).Append(" NIL (\"inline\" (\"filename\" \"logo").Append(i)
                    .Append(".png\")) NIL NIL)");
            }

            line.Append(" \"related\" (\"boundary\" \"=_rel_").Append(random.Next())
                .Append("\" \"type\" \"text/html\") NIL NIL NIL)");
        }
        else
        {
            AppendTextPart(line, random, "html");
        }

        line.Append(" \"alternative\" (\"boundary\" \"=_alt_").Append(random.Next()).Append("\") NIL NIL NIL)");
    }

    private static void AppendMixed(StringBuilder line, Random random, bool nested)
    {
        line.Append('(');
        if (nested && random.Next(2) == 0)
        {
            AppendAlternative(line, random);
        }
        else
        {
            AppendTextPart(line, random, "plain");
        }

        int attachments = 1 + random.Next(4);
        for (int i = 0; i < attachments; i++)
        {
            string file = Pick(random, s_attachments);
            string type = file.EndsWith(".pdf", StringComparison.Ordinal) ? "\"application\" \"pdf\""
                : file.EndsWith(".jpg", StringComparison.Ordinal) ? "\"image\" \"jpeg\""
                : file.EndsWith(".png", StringComparison.Ordinal) ? "\"image\" \"png\""
                : "\"application\" \"octet-stream\"";
            string encoded = Rfc2231(file);
            line.Append('(').Append(type).Append(" (\"name*\" \"").Append(encoded).Append("\") NIL NIL \"base64\" ")
                .Append(random.Next(10_000, 3_000_000)).Append(" NIL (\"attachment\" (\"filename*\" \"")
                .Append(encoded).Append("\" \"size\" \"").Append(random.Next(10_000, 2_000_000))
                .Append("\")) NIL NIL)");
        }

        line.Append(" \"mixed\" (\"boundary\" \"=_mix_").Append(random.Next()).Append("\") NIL NIL NIL)");
    }

    private static string Flags(Random random)
    {
        return random.Next(6) switch
        {
            0 => string.Empty,
            1 => "\\Seen",
            2 => "\\Seen \\Answered",
            3 => "\\Seen \\Flagged $Forwarded",
            4 => "\\Seen $Junk NonJunk",
            _ => "\\Seen",
        };
    }

    private static string InternalDate(Random random)
    {
        int day = 1 + random.Next(28);
        string dayText = day < 10 ? " " + day : day.ToString(CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{dayText}-{Pick(random, s_months)}-{2015 + random.Next(12)} {random.Next(24):D2}:{random.Next(60):D2}:{random.Next(60):D2} {(random.Next(2) == 0 ? '+' : '-')}{random.Next(12):D2}00");
    }

    private static string MessageDate(Random random)
    {
        return string.Create(CultureInfo.InvariantCulture,
            $"{Pick(random, s_days)}, {1 + random.Next(28)} {Pick(random, s_months)} {2015 + random.Next(12)} {random.Next(24):D2}:{random.Next(60):D2}:{random.Next(60):D2} {(random.Next(2) == 0 ? '+' : '-')}{random.Next(12):D2}00");
    }

    private static string EncodeWordB(string text)
    {
        return "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) + "?=";
    }

    /// <summary>Encodes a value as an RFC 2231 extended parameter value with the UTF-8 charset.</summary>
    private static string Rfc2231(string value)
    {
        var encoded = new StringBuilder("utf-8''");
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'.' or (byte)'-' or (byte)'_')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    /// <summary>Replaces the non-ASCII letters of the sample names so a quoted string stays 7-bit.</summary>
    private static string Ascii(string text)
    {
        return text.Replace('ü', 'u').Replace('í', 'i').Replace('á', 'a').Replace('Ø', 'O').Replace('ø', 'o');
    }

    private static string Pick(Random random, string[] values)
    {
        return values[random.Next(values.Length)];
    }
}
