using RawMail.Protocols.Imap;
using RawMail.TestSupport;

namespace RawMail.Imap.Tests.Client;

public sealed class IdleTests
{
    [Fact]
    public async Task Idle_CancellationSendsDone()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 IDLE] ready\r\n")
            .Expect("A0001 SELECT INBOX\r\n")
            .Send("* 2 EXISTS\r\nA0001 OK [READ-WRITE] done\r\n")
            .Expect("A0002 IDLE\r\n")
            .Send("+ idling\r\n")
            .Send("* 3 EXISTS\r\n")
            .Expect("DONE\r\n")
            .Send("A0002 OK IDLE terminated\r\n")
            .Expect("A0003 NOOP\r\n")
            .Send("A0003 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        SelectedMailbox mailbox = await client.SelectAsync("INBOX");
        using var stop = new CancellationTokenSource();
        var counts = new List<uint>();
        client.CountChanged += (_, e) =>
        {
            counts.Add(e.Count);
            stop.Cancel();
        };

        await client.IdleAsync(stop.Token);
        await client.NoopAsync();

        Assert.Equal([3u], counts);
        Assert.Equal(3u, mailbox.Count);
    }

    [Fact]
    public async Task Idle_IsReissuedBeforeTheServerTimeout()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 IDLE] ready\r\n")
            .Expect("A0001 IDLE\r\n")
            .Send("+ idling\r\n")
            .Expect("DONE\r\n")
            .Send("A0001 OK IDLE terminated\r\n")
            .Expect("A0002 IDLE\r\n")
            .Send("+ idling\r\n")
            .Send("* OK [ALERT] still here\r\n")
            .Expect("DONE\r\n")
            .Send("A0002 OK IDLE terminated\r\n")
            .Start();
        ImapClientOptions options = ClientHarness.Options(server, idleInterval: TimeSpan.FromMilliseconds(300));
        await using ImapClient client = await ImapClient.ConnectAsync(options);
        using var stop = new CancellationTokenSource();
        client.Alert += (_, _) => stop.Cancel();

        await client.IdleAsync(stop.Token);

        Assert.EndsWith("A0002 IDLE\r\nDONE\r\n", System.Text.Encoding.ASCII.GetString(server.Received));
    }

    [Fact]
    public async Task Idle_WithoutCapabilityIsNotSupported()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1] ready\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<Transport.MailCommandException>(() => client.IdleAsync(default));

        Assert.Equal(Transport.CommandErrorReason.NotSupported, ex.Reason);
    }

    [Fact]
    public async Task Idle_CanceledWaiterLeavesLockUsable()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 IDLE] ready\r\n")
            .Expect("A0001 IDLE\r\n")
            .Send("+ idling\r\n")
            .Expect("DONE\r\n")
            .Send("A0001 OK IDLE terminated\r\n")
            .Expect("A0002 NOOP\r\n")
            .Send("A0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        using var stopIdle = new CancellationTokenSource();
        Task idle = client.IdleAsync(stopIdle.Token);
        while (!System.Text.Encoding.ASCII.GetString(server.Received).Contains("IDLE", StringComparison.Ordinal))
        {
            await Task.Delay(10);
        }

        using var stopNoop = new CancellationTokenSource();
        Task noop = client.NoopAsync(stopNoop.Token);
        await stopNoop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => noop);
        await stopIdle.CancelAsync();
        await idle;
        await client.NoopAsync();

        Assert.True(client.IsConnected);
    }
}
