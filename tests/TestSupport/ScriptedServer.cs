using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using RawMail.Transport;

namespace RawMail.TestSupport;

/// <summary>
/// A TCP server on 127.0.0.1 that plays a fixed script against the first client that connects: send these bytes,
/// expect exactly those, start TLS, stall, close. Byte-exact protocol tests build on it.
/// </summary>
/// <example>
/// <code>
/// await using var server = new ScriptedServer()
///     .Send("* OK ready\r\n")
///     .Expect("a1 STARTTLS\r\n")
///     .Send("a1 OK begin TLS\r\n")
///     .UpgradeToTls(TestCertificates.Shared.Server)
///     .Start();
/// </code>
/// </example>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly List<Func<ScriptContext, Task>> _steps = [];
    private readonly CancellationTokenSource _shutdown = new();
    private readonly MemoryStream _received = new();
    private Task? _run;

    public ScriptedServer(IPAddress? address = null)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
    }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    /// <summary>The client's address and port, set once a client connected.</summary>
    public IPEndPoint? ClientEndPoint { get; private set; }

    /// <summary>Completes when the script has run to its end; faults when an expectation failed.</summary>
    public Task Completion => _run ?? throw new InvalidOperationException("Call Start first.");

    /// <summary>Every byte the client sent, after TLS decryption.</summary>
    public byte[] Received
    {
        get
        {
            lock (_received)
            {
                return _received.ToArray();
            }
        }
    }

    /// <summary>Sends the text as Latin-1, so "\xFF" in the string is the byte 0xFF.</summary>
    public ScriptedServer Send(string text)
    {
        return SendRaw(Encoding.Latin1.GetBytes(text));
    }

    /// <summary>
    /// Sends the bytes, writing and flushing separately at each split offset so the client sees them in several
    /// reads (on loopback this usually, but not always, yields separate TCP segments).
    /// </summary>
    public ScriptedServer SendRaw(byte[] data, params int[] splitOffsets)
    {
        int[] cuts = splitOffsets.Append(0).Append(data.Length).Distinct().Order().ToArray();
        _steps.Add(async context =>
        {
            for (int i = 0; i < cuts.Length - 1; i++)
            {
                await context.Stream.WriteAsync(data.AsMemory(cuts[i], cuts[i + 1] - cuts[i]), context.Token);
                await context.Stream.FlushAsync(context.Token);
                if (i < cuts.Length - 2)
                {
                    await Task.Delay(20, context.Token);
                }
            }
        });
        return this;
    }

    /// <summary>Reads exactly the length of <paramref name="text"/> and fails unless the bytes match.</summary>
    public ScriptedServer Expect(string text)
    {
        byte[] expected = Encoding.Latin1.GetBytes(text);
        _steps.Add(async context =>
        {
            byte[] actual = await context.ReadExactAsync(expected.Length);
            if (!actual.AsSpan().SequenceEqual(expected))
            {
                throw new InvalidOperationException(
                    $"Expected '{ProtocolText.Escape(expected)}' from the client but received "
                        + $"'{ProtocolText.Escape(actual)}'.");
            }
        });
        return this;
    }

    /// <summary>Reads one CRLF-terminated line of any content, for commands that carry generated values.</summary>
    public ScriptedServer ExpectLine()
    {
        _steps.Add(async context =>
        {
            var line = new List<byte>();
            while (line.Count < 2 || line[^2] != '\r' || line[^1] != '\n')
            {
                line.AddRange(await context.ReadExactAsync(1));
            }
        });
        return this;
    }

    /// <summary>Runs a TLS handshake as the server with <paramref name="certificate"/>.</summary>
    public ScriptedServer UpgradeToTls(X509Certificate2 certificate)
    {
        _steps.Add(async context =>
        {
            var tls = new SslStream(context.Stream, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions { ServerCertificate = certificate },
                context.Token);
            context.Stream = tls;
        });
        return this;
    }

    /// <summary>Closes the connection.</summary>
    public ScriptedServer Close()
    {
        _steps.Add(context =>
        {
            context.Client.Close();
            return Task.CompletedTask;
        });
        return this;
    }

    /// <summary>Stops responding and keeps the connection open until the server is disposed.</summary>
    public ScriptedServer Stall()
    {
        _steps.Add(context => Task.Delay(Timeout.Infinite, context.Token));
        return this;
    }

    /// <summary>Accepts one client and runs the script; the script ends by keeping the connection open.</summary>
    public ScriptedServer Start()
    {
        _run = Task.Run(RunAsync);
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync();
        _listener.Stop();
        if (_run is not null)
        {
            try
            {
                await _run;
            }
            catch (Exception)
            {
                // The test under way reports its own failure; a script fault is read through Completion.
            }
        }

        _shutdown.Dispose();
    }

    private async Task RunAsync()
    {
        using TcpClient client = await _listener.AcceptTcpClientAsync(_shutdown.Token);
        client.NoDelay = true;
        ClientEndPoint = (IPEndPoint?)client.Client.RemoteEndPoint;
        var context = new ScriptContext(client, client.GetStream(), _received, _shutdown.Token);
        try
        {
            foreach (Func<ScriptContext, Task> step in _steps)
            {
                await step(context);
            }

            // Hold the connection until disposal so the client decides when it ends.
            await Task.Delay(Timeout.Infinite, _shutdown.Token);
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
        }
        finally
        {
            await context.Stream.DisposeAsync();
        }
    }

    private sealed class ScriptContext(TcpClient client, Stream stream, MemoryStream received, CancellationToken token)
    {
        public TcpClient Client { get; } = client;

        public Stream Stream { get; set; } = stream;

        public CancellationToken Token { get; } = token;

        public async Task<byte[]> ReadExactAsync(int count)
        {
            byte[] buffer = new byte[count];
            int filled = 0;
            while (filled < count)
            {
                int read = await Stream.ReadAsync(buffer.AsMemory(filled), Token);
                if (read == 0)
                {
                    throw new EndOfStreamException(
                        $"The client closed the connection after {filled} of {count} expected bytes.");
                }

                lock (received)
                {
                    received.Write(buffer, filled, read);
                }

                filled += read;
            }

            return buffer;
        }
    }
}
