using FsCheck.Xunit;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Protocols.Smtp.Tests;

public sealed class SmtpClientProperties
{
    [Property(MaxTest = 60)]
    public async Task<bool> ArbitraryServerBytes_TypedOutcome(byte[] greeting, byte[] ehloReply)
    {
        // The server sends arbitrary bytes as its greeting and EHLO reply and then closes, so every outcome is
        // decided without waiting for a timeout.
        await using ScriptedServer server = new ScriptedServer()
            .SendRaw(greeting)
            .SendRaw(ehloReply)
            .Close()
            .Start();

        try
        {
            await using SmtpClient client = await SmtpClient.ConnectAsync(SmtpTestHelpers.Options(server));
            return true;
        }
        catch (MailProtocolException)
        {
            return true;
        }
        catch (SmtpCommandException)
        {
            return true;
        }
    }
}
