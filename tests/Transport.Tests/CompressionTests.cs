using System.Net;
using System.Net.Sockets;
using System.Text;
using RawMail.Transport;
using RawMail.Transport.Diagnostics;

namespace RawMail.Transport.Tests;

public sealed class CompressionTests
{
    // A guard against a hang when a flush does not reach the peer. The tests never assert on time.
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DeflateStream_EachFlushedWriteReadableAtOnce()
    {
        using var guard = new CancellationTokenSource(s_guard);
        (Socket client, Socket server) = await ConnectedPairAsync();
        await using var clientStream = new DeflateDuplexStream(new NetworkStream(client, ownsSocket: true));
        await using var serverStream = new DeflateDuplexStream(new NetworkStream(server, ownsSocket: true));

        for (int i = 0; i < 50; i++)
        {
            byte[] command = Encoding.ASCII.GetBytes($"a{i} NOOP\r\n");
            await clientStream.WriteAsync(command, guard.Token);
            await clientStream.FlushAsync(guard.Token);
            byte[] received = new byte[command.Length];
            await serverStream.ReadExactlyAsync(received, guard.Token);

            Assert.Equal(command, received);
        }
    }

    [Fact]
    public async Task DeflateStream_BothDirectionsRoundTrip()
    {
        using var guard = new CancellationTokenSource(s_guard);
        (Socket client, Socket server) = await ConnectedPairAsync();
        await using var clientStream = new DeflateDuplexStream(new NetworkStream(client, ownsSocket: true));
        await using var serverStream = new DeflateDuplexStream(new NetworkStream(server, ownsSocket: true));
        byte[] payload = new byte[300_000];
        new Random(4978).NextBytes(payload.AsSpan(0, 100_000));
        payload.AsSpan(100_000).Fill((byte)'x');

        Task<byte[]> upload = SendAndReadAsync(clientStream, serverStream, payload, guard.Token);
        Task<byte[]> download = SendAndReadAsync(serverStream, clientStream, payload, guard.Token);

        Assert.Equal(payload, await upload);
        Assert.Equal(payload, await download);
    }

    [Fact]
    public async Task StartCompression_SwitchesBothDirections()
    {
        using var guard = new CancellationTokenSource(s_guard);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var log = new StringWriter();
        Task<string> server = ServeCompressedNoopAsync(listener, guard.Token);
        await using MailConnection connection = await MailConnection.ConnectAsync(
            Options(listener, new ProtocolLog(log)), guard.Token);
        connection.WriteLine("a1 COMPRESS DEFLATE");
        await connection.FlushAsync(guard.Token);
        await connection.ReadLineAsync(cancellationToken: guard.Token);

        await connection.StartCompressionAsync(guard.Token);
        connection.WriteLine("a2 NOOP");
        await connection.FlushAsync(guard.Token);
        string reply = await connection.ReadLineAsync(cancellationToken: guard.Token);

        Assert.True(connection.IsCompressed);
        Assert.Equal("a2 OK done", reply);
        Assert.Equal("a2 NOOP\r\n", await server);
        Assert.Contains("a2 NOOP", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("a2 OK done", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartCompression_SecondCallThrows()
    {
        using var guard = new CancellationTokenSource(s_guard);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Task<Socket> accept = listener.AcceptSocketAsync(guard.Token).AsTask();
        await using MailConnection connection = await MailConnection.ConnectAsync(Options(listener), guard.Token);
        using Socket server = await accept;
        await connection.StartCompressionAsync(guard.Token);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => connection.StartCompressionAsync(guard.Token).AsTask());
    }

    [Fact]
    public async Task StartCompression_BufferedInputClosesConnection()
    {
        using var guard = new CancellationTokenSource(s_guard);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Task<Socket> accept = listener.AcceptSocketAsync(guard.Token).AsTask();
        await using MailConnection connection = await MailConnection.ConnectAsync(Options(listener), guard.Token);
        using Socket server = await accept;
        await server.SendAsync("a1 OK started\r\n* 1 EXISTS\r\n"u8.ToArray(), SocketFlags.None, guard.Token);
        await connection.ReadLineAsync(cancellationToken: guard.Token);

        var ex = await Assert.ThrowsAsync<MailProtocolException>(
            () => connection.StartCompressionAsync(guard.Token).AsTask());

        Assert.Equal(ProtocolErrorReason.UnexpectedResponse, ex.Reason);
        Assert.True(connection.IsClosed);
    }

    private static MailConnectionOptions Options(TcpListener listener, ProtocolLog? log = null)
    {
        return new MailConnectionOptions
        {
            Host = IPAddress.Loopback.ToString(),
            Port = ((IPEndPoint)listener.LocalEndpoint).Port,
            TlsMode = TlsMode.None,
            CommandTimeout = s_guard,
            ProtocolLog = log,
        };
    }

    /// <summary>Replies to COMPRESS in plain text, then reads one compressed command and replies to it.</summary>
    private static async Task<string> ServeCompressedNoopAsync(TcpListener listener, CancellationToken token)
    {
        using Socket socket = await listener.AcceptSocketAsync(token);
        await using var plain = new NetworkStream(socket, ownsSocket: false);
        byte[] command = new byte["a1 COMPRESS DEFLATE\r\n".Length];
        await plain.ReadExactlyAsync(command, token);
        await plain.WriteAsync("a1 OK deflate active\r\n"u8.ToArray(), token);

        await using var compressed = new DeflateDuplexStream(plain);
        byte[] noop = new byte["a2 NOOP\r\n".Length];
        await compressed.ReadExactlyAsync(noop, token);
        await compressed.WriteAsync("a2 OK done\r\n"u8.ToArray(), token);
        await compressed.FlushAsync(token);
        return Encoding.ASCII.GetString(noop);
    }

    private static async Task<byte[]> SendAndReadAsync(Stream sender, Stream receiver, byte[] payload,
        CancellationToken token)
    {
        Task write = Task.Run(async () =>
        {
            for (int offset = 0; offset < payload.Length; offset += 7_000)
            {
                await sender.WriteAsync(payload.AsMemory(offset, Math.Min(7_000, payload.Length - offset)), token);
                await sender.FlushAsync(token);
            }
        }, token);
        byte[] received = new byte[payload.Length];
        await receiver.ReadExactlyAsync(received, token);
        await write;
        return received;
    }

    private static async Task<(Socket Client, Socket Server)> ConnectedPairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Task<Socket> accept = listener.AcceptSocketAsync();
        await client.ConnectAsync(listener.LocalEndpoint);
        return (client, await accept);
    }
}
