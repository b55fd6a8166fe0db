using System.Buffers;
using System.Globalization;
using System.Text;

namespace RawMail.Benchmarks.Workloads;

/// <summary>
/// W2: untagged FETCH responses that each carry one message as a BODY[] literal,
/// <c>* n FETCH (UID n BODY[] {size}</c> CRLF message <c>)</c> CRLF (RFC 9051 section 7.5.2), with n counting
/// from 1 and the messages taken in turn from a small set built by <see cref="DotLineWorkload"/>.
/// </summary>
internal static class ImapBulkWorkload
{
    /// <summary>Distinct messages; message n is number n modulo this, so the server's copy stays small.</summary>
    public const int Distinct = 50;

    public const int MessageSize = 46 * 1024;

    public static byte[][] Messages() => DotLineWorkload.Generate(Distinct, MessageSize);

    /// <summary>The whole response stream for messages 1 to <paramref name="count"/>.</summary>
    public static byte[] Generate(byte[][] messages, int count)
    {
        using var stream = new MemoryStream();
        byte[] buffer = [];
        for (int n = 1; n <= count; n++)
        {
            int length = Compose(messages, n, ref buffer);
            stream.Write(buffer, 0, length);
        }

        return stream.ToArray();
    }

    /// <summary>The octets of the messages 1 to <paramref name="count"/> themselves, without the responses.</summary>
    public static long BodyOctets(byte[][] messages, int count) =>
        Enumerable.Range(1, count).Sum(n => (long)messages[n % messages.Length].Length);

    /// <summary>Writes the response for message <paramref name="number"/> into <paramref name="buffer"/>.</summary>
    /// <returns>The length of the response.</returns>
    public static int Compose(byte[][] messages, int number, ref byte[] buffer)
    {
        byte[] message = messages[number % messages.Length];
        string header = string.Create(CultureInfo.InvariantCulture,
            $"* {number} FETCH (UID {number} BODY[] {{{message.Length}}}\r\n");
        int length = header.Length + message.Length + 3;
        if (buffer.Length < length)
        {
            buffer = new byte[length + 1024];
        }

        int written = Encoding.ASCII.GetBytes(header, buffer);
        message.CopyTo(buffer, written);
        written += message.Length;
        ")\r\n"u8.CopyTo(buffer.AsSpan(written));
        return written + 3;
    }
}

/// <summary>
/// Just enough IMAP4rev1 (RFC 3501) for the IMAP benchmarks: CAPABILITY, LOGIN, AUTHENTICATE XOAUTH2 with an
/// initial response (RFC 4959), SELECT, UID FETCH of a range whose bodies come from <see cref="ImapBulkWorkload"/>,
/// NOOP and LOGOUT. It accepts any credentials.
/// </summary>
internal sealed class ImapReplaySession(byte[][] messages, int count) : ILineSession
{
    public static readonly byte[] Greeting =
        "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=PLAIN] bench ready\r\n"u8.ToArray();

    private byte[] _buffer = [];

    public bool OnLine(ReadOnlySequence<byte> line, Stream output)
    {
        string text = Encoding.ASCII.GetString(line);
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        string tag = text[..space];
        string command = text[(space + 1)..];
        if (command.StartsWith("UID FETCH ", StringComparison.OrdinalIgnoreCase))
        {
            Fetch(command["UID FETCH ".Length..], output);
        }
        else if (command.StartsWith("SELECT ", StringComparison.OrdinalIgnoreCase))
        {
            output.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"* {count} EXISTS\r\n* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)\r\n"
                + $"* OK [UIDVALIDITY 1] UIDs valid\r\n* OK [UIDNEXT {count + 1}] Predicted next UID\r\n")));
            output.Write(Encoding.ASCII.GetBytes(tag + " OK [READ-WRITE] SELECT completed\r\n"));
            return true;
        }
        else if (command.StartsWith("CAPABILITY", StringComparison.OrdinalIgnoreCase))
        {
            output.Write("* CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=PLAIN\r\n"u8);
        }
        else if (command.StartsWith("LOGOUT", StringComparison.OrdinalIgnoreCase))
        {
            output.Write("* BYE Logging out\r\n"u8);
            output.Write(Encoding.ASCII.GetBytes(tag + " OK LOGOUT completed\r\n"));
            return false;
        }
        else if (command.StartsWith("LOGIN ", StringComparison.OrdinalIgnoreCase)
            || command.StartsWith("AUTHENTICATE ", StringComparison.OrdinalIgnoreCase))
        {
            output.Write(Encoding.ASCII.GetBytes(tag + " OK [CAPABILITY IMAP4rev1 SASL-IR] Logged in\r\n"));
            return true;
        }

        output.Write(Encoding.ASCII.GetBytes(tag + " OK Completed\r\n"));
        return true;
    }

    /// <summary>Sends the responses for <c>first:last</c> or a single UID; the items asked for are ignored.</summary>
    private void Fetch(string arguments, Stream output)
    {
        string set = arguments[..arguments.IndexOf(' ', StringComparison.Ordinal)];
        int colon = set.IndexOf(':', StringComparison.Ordinal);
        int first = int.Parse(colon < 0 ? set : set[..colon], CultureInfo.InvariantCulture);
        int last = colon < 0 ? first : int.Parse(set[(colon + 1)..], CultureInfo.InvariantCulture);
        for (int n = first; n <= Math.Min(last, count); n++)
        {
            int length = ImapBulkWorkload.Compose(messages, n, ref _buffer);
            output.Write(_buffer, 0, length);
        }
    }
}
