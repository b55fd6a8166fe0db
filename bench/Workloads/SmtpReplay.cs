using System.Buffers;
using System.Globalization;
using System.Text;
using RawMail.Protocols.Smtp;

namespace RawMail.Benchmarks.Workloads;

/// <summary>
/// Just enough SMTP (RFC 5321) with PIPELINING (RFC 2920) for the SMTP benchmarks: EHLO, MAIL, RCPT, DATA (whose
/// lines are drained up to the lone "."), AUTH with an initial response (RFC 4954), RSET, NOOP and QUIT, each given
/// a fixed positive reply. With
/// <c>chunking</c> it also advertises CHUNKING and takes BDAT (RFC 3030), replying once each chunk was read.
/// </summary>
internal sealed class SmtpReplaySession(bool chunking = false) : ILineSession
{
    public static readonly byte[] Greeting = "220 bench.example.test ESMTP\r\n"u8.ToArray();

    private bool _inData;
    private long _chunkLength;
    private bool _lastChunk;

    public bool OnLine(ReadOnlySequence<byte> line, Stream output)
    {
        if (_inData)
        {
            if (line.Length == 1 && line.FirstSpan[0] == '.')
            {
                _inData = false;
                output.Write("250 2.0.0 Queued\r\n"u8);
            }

            return true;
        }

        string command = Encoding.ASCII.GetString(line);
        if (command.StartsWith("EHLO", StringComparison.OrdinalIgnoreCase))
        {
            output.Write(chunking
                ? "250-bench.example.test\r\n250-AUTH PLAIN XOAUTH2\r\n250-PIPELINING\r\n250 CHUNKING\r\n"u8
                : "250-bench.example.test\r\n250-AUTH PLAIN XOAUTH2\r\n250 PIPELINING\r\n"u8);
        }
        else if (command.StartsWith("AUTH ", StringComparison.OrdinalIgnoreCase))
        {
            output.Write("235 2.7.0 Authentication successful\r\n"u8);
        }
        else if (command.StartsWith("BDAT ", StringComparison.OrdinalIgnoreCase))
        {
            string[] words = command.Split(' ');
            _chunkLength = long.Parse(words[1], CultureInfo.InvariantCulture);
            _lastChunk = words.Length > 2 && words[2].Equals("LAST", StringComparison.OrdinalIgnoreCase);
            if (_chunkLength == 0)
            {
                OnOctetsSkipped(output);
            }
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

    public long TakeOctetsToSkip()
    {
        long length = _chunkLength;
        _chunkLength = 0;
        return length;
    }

    public void OnOctetsSkipped(Stream output)
    {
        output.Write(_lastChunk ? "250 2.0.0 Queued\r\n"u8 : "250 2.0.0 Chunk received\r\n"u8);
    }
}

/// <summary>The two ways the SMTP benchmarks send: through <see cref="SmtpClient"/> or as raw pipelined octets.</summary>
internal static class SmtpSender
{
    private static readonly SmtpEnvelope s_envelope = new("ann@example.test", "bob@example.test");

    /// <summary>
    /// Sends every message over one session of the client, then QUIT; returns the accepted count. The client uses
    /// BDAT when the server advertises CHUNKING, else DATA.
    /// </summary>
    public static async Task<int> SendThroughClientAsync(int port, bool tls, byte[][] messages, int count)
    {
        var options = new SmtpClientOptions
        {
            Connection = LoopbackOptions.Connection(port, tls),
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
    public static async Task<long> SendRawAsync(int port, bool tls, byte[][] stuffedMessages, int count)
    {
        await using Stream stream = await RawClient.OpenAsync(port, tls);
        Task<long> draining = RawClient.DrainAsync(stream);
        await stream.WriteAsync("EHLO client.example.test\r\n"u8.ToArray());
        byte[] envelope = "MAIL FROM:<ann@example.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n"u8.ToArray();
        for (int i = 0; i < count; i++)
        {
            await stream.WriteAsync(envelope);
            await stream.WriteAsync(stuffedMessages[i % stuffedMessages.Length]);
        }

        await stream.WriteAsync("QUIT\r\n"u8.ToArray());
        return await draining;
    }
}
