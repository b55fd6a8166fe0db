using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace RawMail.Benchmarks.Workloads;

/// <summary>
/// A replay server on 127.0.0.1 for the protocol benchmarks: it reads each client's input line by line and hands
/// every line (without its CRLF) to a session, which writes the replies. A session returns false to close.
/// </summary>
internal sealed class LoopbackLineServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public LoopbackLineServer(byte[] greeting, Func<ILineSession> newSession)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(greeting, newSession, _stop.Token);
    }

    public int Port { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _accepting.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(byte[] greeting, Func<ILineSession> newSession, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client = await _listener.AcceptSocketAsync(cancellationToken);
            _ = Task.Run(() => ServeAsync(client, greeting, newSession(), cancellationToken), cancellationToken);
        }
    }

    private static async Task ServeAsync(Socket client, byte[] greeting, ILineSession session,
        CancellationToken cancellationToken)
    {
        // Replies are buffered and sent once per read, and Nagle is off, so a pipelined batch of replies is not
        // held back by the client's delayed ACK (a server artifact the benchmarks must not measure).
        client.NoDelay = true;
        using (client)
        await using (var network = new NetworkStream(client, ownsSocket: false))
        await using (var stream = new BufferedStream(network, 16 * 1024))
        {
            // The buffered stream only writes: reading through it after a write would need a seek.
            try
            {
                await stream.WriteAsync(greeting, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                PipeReader reader = PipeReader.Create(network);
                bool open = true;
                while (open)
                {
                    ReadResult result = await reader.ReadAsync(cancellationToken);
                    ReadOnlySequence<byte> buffer = result.Buffer;
                    while (open && buffer.PositionOf((byte)'\n') is SequencePosition end)
                    {
                        ReadOnlySequence<byte> line = buffer.Slice(0, end);
                        if (line.Length > 0 && line.Slice(line.Length - 1).FirstSpan[0] == '\r')
                        {
                            line = line.Slice(0, line.Length - 1);
                        }

                        open = session.OnLine(line, stream);
                        buffer = buffer.Slice(buffer.GetPosition(1, end));
                    }

                    await stream.FlushAsync(cancellationToken);
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    open &= !result.IsCompleted;
                }

                await reader.CompleteAsync();
                client.Shutdown(SocketShutdown.Send);
            }
            catch (IOException)
            {
            }
            catch (SocketException)
            {
            }
        }
    }
}

/// <summary>One client's conversation with <see cref="LoopbackLineServer"/>.</summary>
internal interface ILineSession
{
    /// <summary>Handles one input line and writes any reply to <paramref name="output"/>; false closes.</summary>
    bool OnLine(ReadOnlySequence<byte> line, Stream output);
}
