using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BenchmarkDotNet.Attributes;
using RawMail.Benchmarks.Workloads;
using RawMail.Protocols.Pop3;
using RawMail.Transport;

namespace RawMail.Benchmarks;

/// <summary>
/// W3 POP3 bulk: a replay server on 127.0.0.1 replies to RETR n with a dot-stuffed message of about 46 KB, which
/// <see cref="Pop3Client.RetrieveAsync(int, Stream, CancellationToken)"/> un-stuffs into a sink, one command at a
/// time over one connection; the baseline sends the same commands raw and drains the same replies from the same
/// server. Results are per message.
/// </summary>
[MemoryDiagnoser]
public class W3Pop3Benchmarks
{
    private const int Messages = 2_000;

    /// <summary>Distinct messages. RETR n returns message n modulo this, so the workload stays small in memory.</summary>
    private const int Distinct = 50;

    private byte[][] _replies = [];
    private long _unstuffedOctets;
    private int _messages;
    private LoopbackLineServer? _server;

    [GlobalSetup]
    public void Setup()
    {
        _messages = WorkloadSize.IsQuick ? 20 : Messages;
        byte[][] messages = DotLineWorkload.Generate(Distinct, 46 * 1024);
        _replies = [.. messages.Select(m => (byte[])[
            .. Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"+OK {m.Length} octets\r\n")),
            .. DotLineWorkload.Stuff(m)])];
        _unstuffedOctets = Enumerable.Range(1, _messages).Sum(n => (long)messages[n % Distinct].Length);
        _server = new LoopbackLineServer("+OK POP3 bench ready\r\n"u8.ToArray(), () => new Pop3Session(_replies));
    }

    [GlobalCleanup]
    public void Cleanup() => _server?.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task<long> DrainSocket()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _server!.Port);
        var commands = new StringBuilder();
        for (int n = 1; n <= _messages; n++)
        {
            commands.Append("RETR ").Append(n).Append("\r\n");
        }

        commands.Append("QUIT\r\n");
        Task sending = socket.SendAsync(Encoding.ASCII.GetBytes(commands.ToString()), SocketFlags.None);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                total += read;
            }

            await sending;
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task<long> RetrieveThroughClient()
    {
        var options = new Pop3ClientOptions { Host = "127.0.0.1", Port = _server!.Port, TlsMode = TlsMode.None };
        await using Pop3Client client = await Pop3Client.ConnectAsync(options, CancellationToken.None);
        await client.LoginAsync("bench", "secret", CancellationToken.None);
        long total = 0;
        for (int n = 1; n <= _messages; n++)
        {
            total += await client.RetrieveAsync(n, Stream.Null, CancellationToken.None);
        }

        await client.QuitAsync(CancellationToken.None);
        return total == _unstuffedOctets
            ? total
            : throw new InvalidOperationException($"Retrieved {total} octets, expected {_unstuffedOctets}.");
    }

    /// <summary>Just enough POP3 (RFC 1939) for the client: CAPA, USER, PASS, RETR and QUIT.</summary>
    private sealed class Pop3Session(byte[][] replies) : ILineSession
    {
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
                output.Write("+OK\r\nUSER\r\nPIPELINING\r\n.\r\n"u8);
                return true;
            }

            output.Write("+OK\r\n"u8);
            return command != "QUIT";
        }
    }
}
