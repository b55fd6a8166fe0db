using System.Text;

namespace RawMail.Benchmarks.Workloads;

/// <summary>
/// Messages for the POP3 and SMTP benchmarks: plain RFC 5322 messages from a fixed seed, with CRLF lines of 1 to 77
/// printable octets. About one line in 16 starts with "." and one in 64 with "..", so dot-stuffing (RFC 1939
/// section 3, RFC 5321 section 4.5.2) has work to do.
/// </summary>
internal static class DotLineWorkload
{
    public const int Seed = 3_122_026;

    /// <summary>Builds <paramref name="count"/> messages of about <paramref name="size"/> octets each.</summary>
    public static byte[][] Generate(int count, int size)
    {
        var random = new Random(Seed);
        var messages = new byte[count][];
        var text = new StringBuilder(size + 256);
        for (int i = 0; i < count; i++)
        {
            text.Clear();
            text.Append("From: ann@example.test\r\nTo: bob@example.test\r\nSubject: Message ").Append(i)
                .Append("\r\nMessage-ID: <").Append(i).Append(".bench@example.test>\r\n\r\n");
            while (text.Length < size)
            {
                int kind = random.Next(64);
                if (kind < 4)
                {
                    text.Append('.');
                }
                else if (kind == 4)
                {
                    text.Append("..");
                }

                int length = random.Next(1, 76);
                for (int c = 0; c < length; c++)
                {
                    text.Append((char)random.Next(' ', '~' + 1));
                }

                text.Append("\r\n");
            }

            messages[i] = Encoding.ASCII.GetBytes(text.ToString());
        }

        return messages;
    }

    /// <summary>Dot-stuffs a message whose lines end in CRLF and appends the terminating ".CRLF" line.</summary>
    public static byte[] Stuff(byte[] message)
    {
        using var output = new MemoryStream(message.Length + (message.Length / 32) + 3);
        bool lineStart = true;
        foreach (byte b in message)
        {
            if (lineStart && b == '.')
            {
                output.WriteByte((byte)'.');
            }

            output.WriteByte(b);
            lineStart = b == '\n';
        }

        output.Write(".\r\n"u8);
        return output.ToArray();
    }
}
