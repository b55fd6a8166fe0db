using System.Text;
using BenchmarkDotNet.Attributes;
using RawMail.Benchmarks.Workloads;
using RawMail.Protocols.Pop3;
using RawMail.Transport;

namespace RawMail.Benchmarks;

/// <summary>
/// W3 POP3 bulk: a replay server on 127.0.0.1 that advertises PIPELINING (RFC 2449 section 6.6) replies to RETR n
/// with a dot-stuffed message of about 46 KB, which <see cref="Pop3Client"/> un-stuffs into a sink over one
/// connection, either as one pipelined batch or one command at a time; the baseline sends the same commands raw and
/// drains the same replies from the same server. With <see cref="Tls"/> every side reads through TLS. Results are
/// per message.
/// </summary>
[MemoryDiagnoser]
public class W3Pop3Benchmarks
{
    private const int Messages = 2_000;

    /// <summary>Distinct messages. RETR n returns message n modulo this, so the workload stays small in memory.</summary>
    private const int Distinct = 50;

    private byte[][] _replies = [];
    private int[] _numbers = [];
    private long _unstuffedOctets;
    private LoopbackLineServer? _server;

    /// <summary>Whether the replay server wraps the socket in TLS (implicit TLS, as on port 995).</summary>
    [Params(false, true)]
    public bool Tls { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int messages = WorkloadSize.IsQuick ? 20 : Messages;
        _numbers = [.. Enumerable.Range(1, messages)];
        byte[][] bodies = DotLineWorkload.Generate(Distinct, 46 * 1024);
        _replies = Pop3ReplaySession.Replies(bodies);
        _unstuffedOctets = _numbers.Sum(n => (long)bodies[n % Distinct].Length);
        _server = new LoopbackLineServer(Pop3ReplaySession.Greeting, () => new Pop3ReplaySession(_replies),
            Tls ? BenchCertificates.Shared.Server : null);
    }

    [GlobalCleanup]
    public void Cleanup() => _server?.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task<long> DrainSocket()
    {
        await using Stream stream = await RawClient.OpenAsync(_server!.Port, Tls);
        var commands = new StringBuilder();
        foreach (int n in _numbers)
        {
            commands.Append("RETR ").Append(n).Append("\r\n");
        }

        commands.Append("QUIT\r\n");
        Task sending = stream.WriteAsync(Encoding.ASCII.GetBytes(commands.ToString())).AsTask();
        long total = await RawClient.DrainAsync(stream);
        await sending;
        return total;
    }

    /// <summary>All RETR commands through the pipelined batch call, which sends them in windows.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task<long> RetrievePipelined()
    {
        await using Pop3Client client = await LoginAsync();
        var sink = new CountingStream();
        await client.RetrieveAsync(_numbers, _ => sink, CancellationToken.None);
        await client.QuitAsync(CancellationToken.None);
        return Check(sink.Length);
    }

    /// <summary>One RETR per call, each reply read before the next command: a round trip per message.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task<long> RetrieveOneAtATime()
    {
        await using Pop3Client client = await LoginAsync();
        long total = 0;
        foreach (int n in _numbers)
        {
            total += await client.RetrieveAsync(n, Stream.Null, CancellationToken.None);
        }

        await client.QuitAsync(CancellationToken.None);
        return Check(total);
    }

    private async Task<Pop3Client> LoginAsync()
    {
        MailConnectionOptions connection = LoopbackOptions.Connection(_server!.Port, Tls);
        var options = new Pop3ClientOptions
        {
            Host = connection.Host,
            Port = connection.Port,
            TlsMode = connection.TlsMode,
            TargetHostOverride = connection.TargetHostOverride,
            TrustedCertificateAuthorities = connection.TrustedCertificateAuthorities,
        };
        Pop3Client client = await Pop3Client.ConnectAsync(options, CancellationToken.None);
        await client.LoginAsync("bench", "secret", CancellationToken.None);
        return client;
    }

    private long Check(long total) => total == _unstuffedOctets
        ? total
        : throw new InvalidOperationException($"Retrieved {total} octets, expected {_unstuffedOctets}.");
}
