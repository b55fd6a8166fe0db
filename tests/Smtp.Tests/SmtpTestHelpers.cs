using System.Security.Cryptography.X509Certificates;
using RawMail.Sasl;
using RawMail.TestSupport;
using RawMail.Transport;
using RawMail.Transport.Diagnostics;

namespace RawMail.Protocols.Smtp.Tests;

internal static class SmtpTestHelpers
{
    public const string Ehlo = "EHLO client.example.com\r\n";

    public static SmtpClientOptions Options(
        ScriptedServer server,
        TlsMode mode = TlsMode.None,
        IReadOnlyList<string>? mechanismOrder = null,
        bool useInitialResponse = true,
        SaslContext? saslContext = null,
        ProtocolLog? log = null)
    {
        return new SmtpClientOptions
        {
            Connection = new MailConnectionOptions
            {
                Host = mode == TlsMode.None ? "127.0.0.1" : "localhost",
                Port = server.Port,
                TlsMode = mode,
                CommandTimeout = TimeSpan.FromSeconds(30),
                TrustedCertificateAuthorities = new X509Certificate2Collection(TestCertificates.Shared.Authority),
                ProtocolLog = log,
            },
            EhloDomain = "client.example.com",
            MechanismOrder = mechanismOrder,
            UseInitialResponse = useInitialResponse,
            SaslContext = saslContext,
        };
    }

    public static ValueTask<SmtpClient> ConnectAsync(ScriptedServer server, TlsMode mode = TlsMode.None) =>
        SmtpClient.ConnectAsync(Options(server, mode));

    /// <summary>
    /// Turns a transcript of "S: " and "C: " lines into a script: server lines are sent, client lines are expected
    /// byte for byte. Consecutive lines of one side go together.
    /// </summary>
    public static ScriptedServer FromTranscript(string transcript)
    {
        var server = new ScriptedServer();
        foreach ((char side, string text) in Runs(transcript))
        {
            if (side == 'S')
            {
                server.Send(text);
            }
            else
            {
                server.Expect(text);
            }
        }

        return server;
    }

    /// <summary>The client's bytes of a transcript, as Latin-1 text.</summary>
    public static string ClientSide(string transcript) =>
        string.Concat(Runs(transcript).Where(run => run.Side == 'C').Select(run => run.Text));

    private static List<(char Side, string Text)> Runs(string transcript)
    {
        var runs = new List<(char Side, string Text)>();
        int start = 0;
        while (start < transcript.Length)
        {
            int end = transcript.IndexOf("\r\n", start, StringComparison.Ordinal) + 2;
            char side = transcript[start];
            string line = transcript[(start + 3)..end];
            if (runs.Count > 0 && runs[^1].Side == side)
            {
                runs[^1] = (side, runs[^1].Text + line);
            }
            else
            {
                runs.Add((side, line));
            }

            start = end;
        }

        return runs;
    }

    /// <summary>
    /// Waits until the server has read <paramref name="length"/> bytes, for a client whose last write gets no
    /// reply, and returns them as Latin-1 text.
    /// </summary>
    public static async Task<string> ReceivedAsync(ScriptedServer server, int length)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (server.Received.Length < length)
        {
            await Task.Delay(10, timeout.Token);
        }

        return System.Text.Encoding.Latin1.GetString(server.Received);
    }

    public static IAccessTokenProvider Token(string token) => AccessTokenProvider.FromToken(token);

    public static MemoryStream Message(string text) => new(System.Text.Encoding.Latin1.GetBytes(text));
}
