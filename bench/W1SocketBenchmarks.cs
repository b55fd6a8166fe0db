using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using RawMail.Benchmarks.Workloads;
using RawMail.Protocols.Imap.Model;
using RawMail.Protocols.Imap.Parsing;
using RawMail.Transport;

namespace RawMail.Benchmarks;

/// <summary>
/// W1 over a loopback socket: a replay server on 127.0.0.1 sends the W1 stream on every connection; the parser
/// reads it through <see cref="MailConnection"/> without TLS, against a raw drain of the same socket as the
/// baseline. Results are per message.
/// </summary>
[MemoryDiagnoser]
public class W1SocketBenchmarks
{
    private const int Messages = 50_000;

    private byte[] _stream = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private Task _server = Task.CompletedTask;
    private int _port;
    private int _messages;

    [GlobalSetup]
    public void Setup()
    {
        _messages = WorkloadSize.FetchMessages;
        _stream = FetchStreamWorkload.Generate(_messages);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _stop = new CancellationTokenSource();
        _server = ServeAsync(_listener, _stream, _stop.Token);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop?.Cancel();
        _listener?.Stop();
        try
        {
            _server.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task<long> DrainSocket()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _port);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
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

    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task<int> ParseFromConnection()
    {
        var options = new MailConnectionOptions { Host = "127.0.0.1", Port = _port, TlsMode = TlsMode.None };
        await using MailConnection connection = await MailConnection.ConnectAsync(options);
        var parser = new ImapResponseParser();
        int uids = 0;
        while (true)
        {
            ReadResult result = await connection.ReadAsync();
            uids += ParseBuffered(parser, result.Buffer, out SequencePosition consumed);
            connection.AdvanceTo(consumed, result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        return uids == _messages ? uids : throw new InvalidOperationException($"Parsed {uids} of {_messages} messages.");
    }

    private static int ParseBuffered(ImapResponseParser parser, ReadOnlySequence<byte> buffer,
        out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        int uids = 0;
        while (parser.TryParse(ref reader, out ImapResponse? response) == ImapParseStatus.Response)
        {
            uids += response is FetchResponse { Uid: not null } ? 1 : 0;
        }

        consumed = reader.Position;
        return uids;
    }

    /// <summary>Sends the whole stream to each client, then closes; stops when the listener stops.</summary>
    private static async Task ServeAsync(TcpListener listener, byte[] stream, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client = await listener.AcceptSocketAsync(cancellationToken);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    await client.SendAsync(stream, SocketFlags.None, cancellationToken);
                    client.Shutdown(SocketShutdown.Send);
                }
            }, cancellationToken);
        }
    }
}
