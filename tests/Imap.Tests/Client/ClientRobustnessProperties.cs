using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RawMail.Protocols.Imap;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Imap.Tests.Client;

public sealed class ClientRobustnessProperties
{
    private static readonly string[] s_pieces =
    [
        "* 3 EXISTS\r\n", "* 2 EXPUNGE\r\n", "* BYE going away\r\n", "+ go\r\n", "A0001 OK done\r\n",
        "A0001 NO [TRYCREATE] no\r\n", "A0009 OK other tag\r\n", "* 1 FETCH (FLAGS (\\Seen) BODY[] {5}\r\nhello)\r\n",
        "* OK [ALERT] note\r\n", "* {3}\r\n", "* 1 FETCH (", "\r\n", "* CAPABILITY IMAP4rev1\r\n", "\0\xFF", "(((",
        "* VANISHED 1:3\r\n", "* FLAGS (\\Seen)\r\n",
    ];

    /// <summary>
    /// Whatever the server sends in reply to a command, the client completes it, throws a command error, or closes
    /// with a protocol error. It never fails in another way or waits forever.
    /// </summary>
    [Property(MaxTest = 40)]
    public Property AnyReplyGivesTypedOutcome()
    {
        Gen<string> replies = Gen.Elements(s_pieces).ArrayOf().Select(static p => string.Concat(p));
        return Prop.ForAll(replies.ToArbitrary(), reply =>
        {
            Exception? failure = RunNoop(reply).GetAwaiter().GetResult();
            return failure is null or MailCommandException or MailProtocolException;
        });
    }

    /// <summary>
    /// The same replies on 16 connections at once, so the reader and the parser run on many threads with
    /// optimized code. Reading a malformed line here once ended in a NullReferenceException.
    /// </summary>
    [Fact]
    public async Task ConcurrentReplies_GiveTypedOutcomes()
    {
        var random = new Random(5);
        string[] replies = [.. Enumerable.Range(0, 2000).Select(_ => string.Concat(
            Enumerable.Range(0, random.Next(0, 12)).Select(_ => s_pieces[random.Next(s_pieces.Length)])))];
        var unexpected = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Parallel.ForEachAsync(replies, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (reply, _) =>
        {
            Exception? failure = await RunNoop(reply);
            if (failure is not (null or MailCommandException or MailProtocolException))
            {
                unexpected.Add(failure.GetType().Name);
            }
        });

        Assert.Empty(unexpected);
    }

    private static async Task<Exception?> RunNoop(string reply)
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1] ready\r\n")
            .Expect("A0001 NOOP\r\n")
            .SendRaw(Encoding.Latin1.GetBytes(reply))
            .Close()
            .Start();
        ImapClientOptions options = ClientHarness.Options(server);
        await using ImapClient client = await ImapClient.ConnectAsync(options);
        try
        {
            await client.NoopAsync();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
