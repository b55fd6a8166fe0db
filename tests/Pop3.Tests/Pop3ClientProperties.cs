using FsCheck.Xunit;
using RawMail.TestSupport;
using RawMail.Transport;
using static RawMail.Protocols.Pop3.Tests.ScriptedPop3;

namespace RawMail.Protocols.Pop3.Tests;

public sealed class Pop3ClientProperties
{
    [Property(MaxTest = 25)]
    public bool ArbitraryRetrReply_TypedOutcome(byte[] data, bool afterOk)
    {
        // With afterOk the bytes arrive as a message body, so the unstuffer rather than the status parser reads them.
        byte[] reply = afterOk ? [.. "+OK\r\n"u8, .. data] : data;
        return RetrieveArbitraryAsync(reply).GetAwaiter().GetResult();
    }

    private static async Task<bool> RetrieveArbitraryAsync(byte[] reply)
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("RETR 1\r\n")
            .SendRaw(reply)
            .Close();
        await using Pop3Client client = await LoginAsync(server);
        try
        {
            await client.RetrieveAsync(1, new MemoryStream(), CancellationToken.None);
            return true;
        }
        catch (MailProtocolException ex)
        {
            return ex.Reason is ProtocolErrorReason.MalformedResponse or ProtocolErrorReason.ConnectionClosed
                or ProtocolErrorReason.LineTooLong;
        }
        catch (Pop3CommandException)
        {
            return true;
        }
    }
}
