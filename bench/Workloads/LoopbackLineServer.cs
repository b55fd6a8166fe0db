using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace RawMail.Benchmarks.Workloads;

/// <summary>
/// A replay server on 127.0.0.1 for the protocol benchmarks: it reads each client's input line by line and hands
/// every line (without its CRLF) to a session, which writes the replies. A session returns false to close. With a
/// certificate the server speaks implicit TLS; without a session factory it sends the greeting and closes.
/// </summary>
internal sealed class LoopbackLineServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly X509Certificate2? _certificate;

    public LoopbackLineServer(byte[] greeting, Func<ILineSession>? newSession, X509Certificate2? certificate = null)
    {
        _certificate = certificate;
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

    private async Task AcceptAsync(byte[] greeting, Func<ILineSession>? newSession,
        CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client = await _listener.AcceptSocketAsync(cancellationToken);
            _ = Task.Run(() => ServeAsync(client, greeting, newSession?.Invoke(), cancellationToken),
                cancellationToken);
        }
    }

    private async Task ServeAsync(Socket client, byte[] greeting, ILineSession? session,
        CancellationToken cancellationToken)
    {
        // Replies are buffered and sent once per read, and Nagle is off, so a pipelined batch of replies is not
        // held back by the client's delayed ACK (a server artifact the benchmarks must not measure).
        client.NoDelay = true;
        using (client)
        await using (var network = new NetworkStream(client, ownsSocket: false))
        {
            try
            {
                Stream transport = network;
                if (_certificate is not null)
                {
                    var tls = new SslStream(network, leaveInnerStreamOpen: true);
                    await tls.AuthenticateAsServerAsync(
                        new SslServerAuthenticationOptions { ServerCertificate = _certificate }, cancellationToken);
                    transport = tls;
                }

                await using (transport)
                {
                    await ServeSessionAsync(transport, greeting, session, cancellationToken);
                }

                client.Shutdown(SocketShutdown.Send);
            }
            catch (IOException)
            {
            }
            catch (SocketException)
            {
            }
            catch (System.Security.Authentication.AuthenticationException)
            {
            }
        }
    }

    private static async Task ServeSessionAsync(Stream transport, byte[] greeting, ILineSession? session,
        CancellationToken cancellationToken)
    {
        // The buffered stream only writes: reading through it after a write would need a seek.
        await using var output = new BufferedStream(transport, 16 * 1024);
        await output.WriteAsync(greeting, cancellationToken);
        await output.FlushAsync(cancellationToken);
        if (session is null)
        {
            return;
        }

        PipeReader reader = PipeReader.Create(transport, new StreamPipeReaderOptions(leaveOpen: true));
        bool open = true;
        long skip = 0;
        while (open)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            while (open)
            {
                if (skip > 0)
                {
                    long take = Math.Min(skip, buffer.Length);
                    buffer = buffer.Slice(take);
                    skip -= take;
                    if (skip > 0)
                    {
                        break;
                    }

                    session.OnOctetsSkipped(output);
                }

                if (buffer.PositionOf((byte)'\n') is not SequencePosition end)
                {
                    break;
                }

                ReadOnlySequence<byte> line = buffer.Slice(0, end);
                if (line.Length > 0 && line.Slice(line.Length - 1).FirstSpan[0] == '\r')
                {
                    line = line.Slice(0, line.Length - 1);
                }

                open = session.OnLine(line, output);
                skip = session.TakeOctetsToSkip();
                buffer = buffer.Slice(buffer.GetPosition(1, end));
            }

            await output.FlushAsync(cancellationToken);
            reader.AdvanceTo(buffer.Start, buffer.End);
            open &= !result.IsCompleted;
        }

        await reader.CompleteAsync();
    }
}

/// <summary>One client's conversation with <see cref="LoopbackLineServer"/>.</summary>
internal interface ILineSession
{
    /// <summary>Handles one input line and writes any reply to <paramref name="output"/>; false closes.</summary>
    bool OnLine(ReadOnlySequence<byte> line, Stream output);

    /// <summary>
    /// The count of raw octets that follow the last line and are dropped unread, such as the data of an SMTP BDAT
    /// command (RFC 3030 section 2). The server reads it once after each line.
    /// </summary>
    long TakeOctetsToSkip() => 0;

    /// <summary>Writes any reply due once the octets of <see cref="TakeOctetsToSkip"/> were read.</summary>
    void OnOctetsSkipped(Stream output)
    {
    }
}
