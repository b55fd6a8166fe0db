using System.Buffers;
using System.Globalization;
using System.Text;

namespace RawMail.Benchmarks.Workloads;

/// <summary>
/// Just enough POP3 (RFC 1939) for the POP3 benchmarks: CAPA with PIPELINING and SASL XOAUTH2 (RFC 2449), USER,
/// PASS, AUTH with an initial response (RFC 5034), RETR n with the n-th of <c>replies</c> in turn, and QUIT. It
/// accepts any credentials.
/// </summary>
internal sealed class Pop3ReplaySession(byte[][] replies) : ILineSession
{
    public static readonly byte[] Greeting = "+OK POP3 bench ready\r\n"u8.ToArray();

    public bool OnLine(ReadOnlySequence<byte> line, Stream output)
    {
        string command = Encoding.ASCII.GetString(line);
        if (command.StartsWith("RETR ", StringComparison.Ordinal))
        {
            int number = int.Parse(command.AsSpan(5), CultureInfo.InvariantCulture);
            output.Write(replies[number % replies.Length]);
            return true;
        }

        if (command == "CAPA")
        {
            output.Write("+OK\r\nUSER\r\nSASL XOAUTH2\r\nPIPELINING\r\n.\r\n"u8);
            return true;
        }

        output.Write("+OK\r\n"u8);
        return command != "QUIT";
    }

    /// <summary>RETR replies for <paramref name="messages"/>: "+OK", then each message dot-stuffed.</summary>
    public static byte[][] Replies(byte[][] messages) => [.. messages.Select(m => (byte[])[
        .. Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"+OK {m.Length} octets\r\n")),
        .. DotLineWorkload.Stuff(m)])];
}
