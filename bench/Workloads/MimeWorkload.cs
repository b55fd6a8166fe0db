using System.Globalization;
using System.Text;

namespace RawMail.Benchmarks.Workloads;

/// <summary>
/// Builds the W5 workload: RFC 5322 messages of about 19 KB from a fixed seed. Each has an RFC 2047 subject
/// and names, a quoted-printable text/plain part, an HTML part (quoted-printable or base64) in a
/// multipart/alternative, and in half of them a multipart/mixed with a base64 attachment named per RFC 2231.
/// </summary>
internal static class MimeWorkload
{
    public const int Seed = 5_122_026;

    private static readonly string[] s_words =
        ["report", "meeting", "budget", "release", "customer", "schedule", "déjà", "vu", "naïve", "façade", "the",
            "and", "of", "to", "with", "über", "straße", "quarterly", "numbers", "attached", "please", "review"];

    public static byte[][] Generate(int messageCount)
    {
        var random = new Random(Seed);
        var messages = new byte[messageCount][];
        var text = new StringBuilder(24 * 1024);
        for (int i = 0; i < messageCount; i++)
        {
            text.Clear();
            AppendMessage(text, random, i);
            messages[i] = Encoding.ASCII.GetBytes(text.ToString());
        }

        return messages;
    }

    private static void AppendMessage(StringBuilder text, Random random, int index)
    {
        bool mixed = random.Next(2) == 0;
        string outer = "=_outer_" + random.Next().ToString(CultureInfo.InvariantCulture);
        string alternative = "=_alt_" + random.Next().ToString(CultureInfo.InvariantCulture);
        text.Append("Return-Path: <bounce@example.com>\r\n")
            .Append("Received: from mx.example.com (mx.example.com [127.0.0.1])\r\n\tby mail.example.org with ESMTPS id ")
            .Append(random.Next()).Append("\r\n\tfor <bob@example.org>; Thu, 3 Dec 2026 10:00:00 +0000\r\n")
            .Append("From: =?utf-8?B?").Append(Base64("Zoë Müller")).Append("?= <zoe@example.com>\r\n")
            .Append("To: \"Bob Smith\" <bob@example.org>, carol@example.net\r\n")
            .Append("Cc: =?iso-8859-1?Q?Ren=E9e_Dubois?= <renee@example.fr>\r\n")
            .Append("Subject: =?utf-8?Q?").Append(QEncode(Sentence(random, 6))).Append("?=\r\n")
            .Append("Date: Thu, ").Append(1 + random.Next(28)).Append(" Dec 2026 09:").Append(random.Next(10, 60))
            .Append(":00 +0100\r\n")
            .Append("Message-ID: <").Append(index).Append('.').Append(random.Next()).Append("@example.com>\r\n")
            .Append("MIME-Version: 1.0\r\n");
        if (mixed)
        {
            text.Append("Content-Type: multipart/mixed; boundary=\"").Append(outer).Append("\"\r\n\r\n")
                .Append("This is a multi-part message in MIME format.\r\n\r\n--").Append(outer).Append("\r\n");
        }

        text.Append("Content-Type: multipart/alternative; boundary=\"").Append(alternative).Append("\"\r\n\r\n--")
            .Append(alternative).Append("\r\nContent-Type: text/plain; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: quoted-printable\r\n\r\n");
        AppendQuotedPrintable(text, random, mixed ? 3000 : 5500);
        text.Append("\r\n--").Append(alternative).Append("\r\nContent-Type: text/html; charset=utf-8\r\n");
        string html = Html(random, mixed ? 5200 : 9500);
        if (random.Next(2) == 0)
        {
            text.Append("Content-Transfer-Encoding: base64\r\n\r\n");
            AppendBase64Lines(text, Encoding.UTF8.GetBytes(html));
        }
        else
        {
            text.Append("Content-Transfer-Encoding: quoted-printable\r\n\r\n");
            AppendQuotedPrintable(text, html);
        }

        text.Append("\r\n--").Append(alternative).Append("--\r\n");
        if (mixed)
        {
            var attachment = new byte[6000 + random.Next(2000)];
            random.NextBytes(attachment);
            text.Append("\r\n--").Append(outer).Append("\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\n")
                .Append("Content-Disposition: attachment;\r\n filename*=utf-8''%C3%BCbersicht%20")
                .Append(random.Next(100)).Append(".pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n");
            AppendBase64Lines(text, attachment);
            text.Append("\r\n--").Append(outer).Append("--\r\n");
        }
    }

    private static string Sentence(Random random, int words)
    {
        var sentence = new StringBuilder();
        for (int i = 0; i < words; i++)
        {
            sentence.Append(i == 0 ? string.Empty : " ").Append(s_words[random.Next(s_words.Length)]);
        }

        return sentence.ToString();
    }

    private static string Html(Random random, int length)
    {
        var html = new StringBuilder("<html><body>");
        while (html.Length < length)
        {
            html.Append("<p style=\"margin:0\">").Append(Sentence(random, 12)).Append(".</p>\r\n");
        }

        return html.Append("</body></html>").ToString();
    }

    private static void AppendQuotedPrintable(StringBuilder text, Random random, int length)
    {
        var plain = new StringBuilder();
        while (plain.Length < length)
        {
            plain.Append(Sentence(random, 12)).Append(".\r\n");
        }

        AppendQuotedPrintable(text, plain.ToString());
    }

    /// <summary>Appends quoted-printable (RFC 2045 section 6.7) lines of at most 76 characters.</summary>
    private static void AppendQuotedPrintable(StringBuilder text, string value)
    {
        int column = 0;
        foreach (byte b in Encoding.UTF8.GetBytes(value.Replace("\r\n", "\n", StringComparison.Ordinal)))
        {
            if (b == (byte)'\n')
            {
                text.Append("\r\n");
                column = 0;
                continue;
            }

            string encoded = b is >= 33 and <= 126 and not (byte)'=' || b == (byte)' '
                ? ((char)b).ToString()
                : "=" + b.ToString("X2", CultureInfo.InvariantCulture);
            if (column + encoded.Length > 75)
            {
                text.Append("=\r\n");
                column = 0;
            }

            text.Append(encoded);
            column += encoded.Length;
        }
    }

    private static void AppendBase64Lines(StringBuilder text, byte[] data)
    {
        string base64 = Convert.ToBase64String(data);
        for (int offset = 0; offset < base64.Length; offset += 76)
        {
            text.Append(base64, offset, Math.Min(76, base64.Length - offset)).Append("\r\n");
        }
    }

    private static string Base64(string value)
    {
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
    }

    private static string QEncode(string value)
    {
        var encoded = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            encoded.Append(b == (byte)' ' ? "_" : b is >= (byte)'a' and <= (byte)'z' ? ((char)b).ToString()
                : "=" + b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return encoded.ToString();
    }
}
