using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using RawMail.Protocols.Imap;
using RawMail.Protocols.Imap.Parsing;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Imap.Tests.Client;

/// <summary>Connects an <see cref="ImapClient"/> to a scripted server over plain text or STARTTLS.</summary>
internal static class ClientHarness
{
    public static ImapClientOptions Options(ScriptedServer server, TlsMode mode = TlsMode.None,
        MemoryPool<byte>? pool = null, TimeSpan? idleInterval = null, ImapParserOptions? parser = null)
    {
        return new ImapClientOptions
        {
            Connection = new MailConnectionOptions
            {
                Host = "127.0.0.1",
                Port = server.Port,
                TlsMode = mode,
                TargetHostOverride = "localhost",
                TrustedCertificateAuthorities = new X509Certificate2Collection(TestCertificates.Shared.Authority),
                CommandTimeout = TimeSpan.FromSeconds(30),
                MemoryPool = pool,
            },
            IdleReissueInterval = idleInterval ?? TimeSpan.FromMinutes(25),
            Parser = parser,
        };
    }

    public static Task<ImapClient> ConnectAsync(ScriptedServer server, TlsMode mode = TlsMode.None)
    {
        return ImapClient.ConnectAsync(Options(server, mode));
    }

    /// <summary>The UTF-8 bytes of <paramref name="text"/> as the Latin-1 string that ScriptedServer compares.</summary>
    public static string Utf8(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
