using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RawMail.Protocols.Smtp;
using RawMail.Transport;

namespace RawMail.Benchmarks.Workloads;

/// <summary>
/// Just enough SMTP (RFC 5321) with PIPELINING (RFC 2920) for the SMTP benchmarks: EHLO, MAIL, RCPT, DATA (whose
/// lines are drained up to the lone "."), RSET, NOOP and QUIT, each given a fixed positive reply.
/// </summary>
internal sealed class SmtpReplaySession : ILineSession
{
    public static readonly byte[] Greeting = "220 bench.example.test ESMTP\r\n"u8.ToArray();

    private bool _inData;

    /// <summary>Messages whose data ended with the lone "." line.</summary>
    public int Received { get; private set; }

    public bool OnLine(ReadOnlySequence<byte> line, Stream output)
    {
        if (_inData)
        {
            if (line.Length == 1 && line.FirstSpan[0] == '.')
            {
                _inData = false;
                Received++;
                output.Write("250 2.0.0 Queued\r\n"u8);
            }

            return true;
        }

        string command = Encoding.ASCII.GetString(line);
        if (command.StartsWith("EHLO", StringComparison.OrdinalIgnoreCase))
        {
            output.Write("250-bench.example.test\r\n250 PIPELINING\r\n"u8);
        }
        else if (command.Equals("DATA", StringComparison.OrdinalIgnoreCase))
        {
            _inData = true;
            output.Write("354 Go ahead\r\n"u8);
        }
        else if (command.Equals("QUIT", StringComparison.OrdinalIgnoreCase))
        {
            output.Write("221 2.0.0 Bye\r\n"u8);
            return false;
        }
        else
        {
            output.Write("250 2.0.0 OK\r\n"u8);
        }

        return true;
    }
}

/// <summary>The two ways the SMTP benchmarks send: through <see cref="SmtpClient"/>, or as raw pipelined octets.</summary>
internal static class SmtpSender
{
    private static readonly SmtpEnvelope s_envelope = new("ann@example.test", "bob@example.test");

    /// <summary>Sends every message over one session of the client, then QUIT; returns the accepted count.</summary>
    public static async Task<int> SendThroughClientAsync(int port, byte[][] messages, int count)
    {
        var options = new SmtpClientOptions
        {
            Connection = new MailConnectionOptions { Host = "127.0.0.1", Port = port, TlsMode = TlsMode.None },
            EhloDomain = "client.example.test",
        };
        await using SmtpClient client = await SmtpClient.ConnectAsync(options);
        int accepted = 0;
        for (int i = 0; i < count; i++)
        {
            using var message = new MemoryStream(messages[i % messages.Length], writable: false);
            SendResult result = await client.SendAsync(s_envelope, message);
            accepted += result.Accepted.Count;
        }

        await client.QuitAsync();
        return accepted == count ? accepted : throw new InvalidOperationException($"{accepted} of {count} accepted.");
    }

    /// <summary>
    /// The same session as raw octets: EHLO, then MAIL, RCPT, DATA and the dot-stuffed data of every message, then
    /// QUIT, written without waiting for any reply while the replies are drained.
    /// </summary>
    public static async Task<long> SendRawAsync(int port, byte[][] stuffedMessages, int count)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        Task<long> draining = DrainAsync(socket);
        await socket.SendAsync("EHLO client.example.test\r\n"u8.ToArray(), SocketFlags.None);
        byte[] envelope = "MAIL FROM:<ann@example.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n"u8.ToArray();
        for (int i = 0; i < count; i++)
        {
            await socket.SendAsync(envelope, SocketFlags.None);
            await socket.SendAsync(stuffedMessages[i % stuffedMessages.Length], SocketFlags.None);
        }

        await socket.SendAsync("QUIT\r\n"u8.ToArray(), SocketFlags.None);
        return await draining;
    }

    private static async Task<long> DrainAsync(Socket socket)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
