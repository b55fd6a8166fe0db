using System.Security.Cryptography.X509Certificates;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RawMail.Protocols.Imap;
using RawMail.Protocols.Imap.Model;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Imap.Tests.Client;

public sealed class PipelineProperties
{
    public enum Operation
    {
        UidFetch,
        SequenceFetch,
        Status,
        Search,
        List,
        Noop,
        CanceledStatus,
    }

    /// <summary>
    /// Commands called concurrently in any mix each get their own results when the server replies in any legal
    /// order, and the client never has two commands in flight that must not be. A command canceled at any point
    /// either returns its own result or throws, and the session stays in step.
    /// </summary>
    [Property(MaxTest = 40)]
    public Property ConcurrentCommandsGetOwnResults()
    {
        Gen<(Operation, int)> operation = Gen.Elements(Enum.GetValues<Operation>()).Zip(Gen.Choose(1, 4));
        Gen<(Operation, int)[]> mixes = operation.ArrayOf().Where(static a => a.Length is > 0 and <= 12);
        return Prop.ForAll(mixes.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), ArbMap.Default.ArbFor<bool>(),
            (mix, seed, esearch) => RunMixAsync(mix, seed, esearch).GetAwaiter().GetResult());
    }

    private static async Task<bool> RunMixAsync((Operation Kind, int Number)[] mix, int seed, bool esearch)
    {
        await using RandomOrderServer server = new RandomOrderServer(seed, esearch).Start();
        await using ImapClient client = await ImapClient.ConnectAsync(Options(server.Port));
        Task<bool>[] checks = [.. mix.Select(op => RunAsync(client, op.Kind, op.Number))];
        bool[] results = await Task.WhenAll(checks);
        await client.NoopAsync();
        return results.All(static ok => ok) && server.Violations.Count == 0 && client.IsConnected;
    }

    private static async Task<bool> RunAsync(ImapClient client, Operation kind, int number)
    {
        var flags = new FetchRequest(FetchItems.Flags);
        switch (kind)
        {
            case Operation.UidFetch:
                IReadOnlyList<FetchResponse> byUid = await client.FetchAsync(SequenceSet.Of((uint)number), flags);
                return byUid.Count == 1 && byUid[0].Uid == (uint)number && byUid[0].Flags == MessageFlags.Seen;
            case Operation.SequenceFetch:
                IReadOnlyList<FetchResponse> bySequence = await client.FetchAsync(SequenceSet.Of((uint)number), flags,
                    uid: false);
                return bySequence.Count == 1 && bySequence[0].SequenceNumber == (uint)number
                    && bySequence[0].Flags == MessageFlags.Flagged;
            case Operation.Status:
                MailboxStatus status = await client.GetStatusAsync("box" + number, StatusItems.Messages);
                return status.Name == "box" + number && status.Messages == (uint)(number * 10);
            case Operation.Search:
                SearchResult found = await client.SearchAsync(SearchQuery.Subject("s" + number));
                return found.Numbers.SequenceEqual([(uint)number]);
            case Operation.List:
                IReadOnlyList<MailboxInfo> listed = await client.ListAsync("box" + number);
                return listed.Count == 1 && listed[0].Name == "box" + number;
            case Operation.CanceledStatus:
                return await RunCanceledStatusAsync(client, number);
            default:
                await client.NoopAsync();
                return true;
        }
    }

    private static async Task<bool> RunCanceledStatusAsync(ImapClient client, int number)
    {
        using var cancel = new CancellationTokenSource();
        Task<MailboxStatus> status = client.GetStatusAsync("box" + number, StatusItems.Messages, cancel.Token);
        await Task.Delay(number);
        await cancel.CancelAsync();
        try
        {
            return (await status).Messages == (uint)(number * 10);
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    private static ImapClientOptions Options(int port)
    {
        return new ImapClientOptions
        {
            Connection = new MailConnectionOptions
            {
                Host = "127.0.0.1",
                Port = port,
                TlsMode = TlsMode.None,
                TargetHostOverride = "localhost",
                TrustedCertificateAuthorities = new X509Certificate2Collection(TestCertificates.Shared.Authority),
                CommandTimeout = TimeSpan.FromSeconds(30),
            },
        };
    }
}
