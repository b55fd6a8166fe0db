using BenchmarkDotNet.Attributes;
using RawMail.Benchmarks.Workloads;
using RawMail.Protocols.Imap;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Benchmarks;

/// <summary>
/// W2 IMAP bulk over a loopback socket: <see cref="ImapClient"/> logs in to a replay server on 127.0.0.1, selects
/// INBOX and fetches 2,000 messages of about 46 KB as BODY.PEEK[], writing each body to a counting sink. The
/// baseline sends the same commands raw in one write and drains the same replies from the same server. With
/// <see cref="Tls"/> every side reads through TLS. Results are per message.
/// </summary>
[MemoryDiagnoser]
public class W2ImapSocketBenchmarks
{
    private const int Messages = 2_000;

    private static readonly FetchRequest s_body = new(FetchItems.Uid, new FetchBodyRequest());

    private LoopbackLineServer? _server;
    private int _count;
    private long _bodyOctets;

    /// <summary>Whether the replay server wraps the socket in TLS (implicit TLS, as on port 993).</summary>
    [Params(false, true)]
    public bool Tls { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _count = WorkloadSize.IsQuick ? 20 : Messages;
        byte[][] messages = ImapBulkWorkload.Messages();
        _bodyOctets = ImapBulkWorkload.BodyOctets(messages, _count);
        _server = new LoopbackLineServer(ImapReplaySession.Greeting, () => new ImapReplaySession(messages, _count),
            Tls ? BenchCertificates.Shared.Server : null);
    }

    [GlobalCleanup]
    public void Cleanup() => _server?.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task<long> DrainSocket()
    {
        await using Stream stream = await RawClient.OpenAsync(_server!.Port, Tls);
        byte[] commands = System.Text.Encoding.ASCII.GetBytes(
            $"A1 LOGIN bench secret\r\nA2 SELECT INBOX\r\nA3 UID FETCH 1:{_count} (UID BODY.PEEK[])\r\nA4 LOGOUT\r\n");
        await stream.WriteAsync(commands);
        return await RawClient.DrainAsync(stream);
    }

    /// <summary>One UID FETCH for the whole range, each body handed over as it arrives.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task<long> FetchThroughClient()
    {
        await using ImapClient client = await LoginAsync();
        var sink = new CountingStream();
        await foreach (FetchResponse response in client.FetchStreamAsync(SequenceSet.Range(1, (uint)_count), s_body))
        {
            if (response is { Sections: [{ Data: { } data }] })
            {
                await sink.WriteAsync(data);
            }
        }

        await client.LogoutAsync();
        return Check(sink.Length);
    }

    /// <summary>One UID FETCH per message through DownloadBodyAsync: a round trip per message.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task<long> DownloadOneAtATime()
    {
        await using ImapClient client = await LoginAsync();
        var sink = new CountingStream();
        for (uint uid = 1; uid <= _count; uid++)
        {
            await client.DownloadBodyAsync(uid, sink);
        }

        await client.LogoutAsync();
        return Check(sink.Length);
    }

    private async Task<ImapClient> LoginAsync()
    {
        var options = new ImapClientOptions { Connection = LoopbackOptions.Connection(_server!.Port, Tls) };
        ImapClient client = await ImapClient.ConnectAsync(options);
        await client.LoginAsync("bench", "secret");
        await client.SelectAsync("INBOX");
        return client;
    }

    private long Check(long total) => total == _bodyOctets
        ? total
        : throw new InvalidOperationException($"Delivered {total} body octets, expected {_bodyOctets}.");
}
