using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using RawMail.TestSupport;
using RawMail.Transport;
using RawMail.Transport.Diagnostics;

namespace RawMail.Protocols.Pop3.Tests;

/// <summary>Shared pieces of the scripted-server tests.</summary>
internal static class ScriptedPop3
{
    public const string Greeting = "+OK POP3 ready\r\n";

    public const string DovecotCapa =
        "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nUSER\r\n"
        + "SASL PLAIN LOGIN XOAUTH2 OAUTHBEARER\r\n.\r\n";

    public const string NoPipeliningCapa = "+OK\r\nTOP\r\nUIDL\r\nUSER\r\nSASL PLAIN XOAUTH2\r\n.\r\n";

    /// <summary>A server that greets, lists the Dovecot capabilities and accepts USER/PASS for alice.</summary>
    public static ScriptedServer LoggedIn(string capa = DovecotCapa)
    {
        return new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send(capa)
            .Expect("USER alice\r\n")
            .Send("+OK\r\n")
            .Expect("PASS secret\r\n")
            .Send("+OK Logged in.\r\n");
    }

    public static Pop3ClientOptions Options(
        ScriptedServer server,
        TlsMode tlsMode = TlsMode.None,
        bool allowApop = false,
        ProtocolLog? log = null,
        LineEnding lineEnding = LineEnding.CrLf,
        MemoryPool<byte>? pool = null)
    {
        return new Pop3ClientOptions
        {
            Host = tlsMode == TlsMode.None ? IPAddress.Loopback.ToString() : "localhost",
            Port = server.Port,
            TlsMode = tlsMode,
            CommandTimeout = TimeSpan.FromSeconds(10),
            AllowApop = allowApop,
            ProtocolLog = log,
            LineEnding = lineEnding,
            MemoryPool = pool,
            TrustedCertificateAuthorities = new X509Certificate2Collection(TestCertificates.Shared.Authority),
        };
    }

    public static async Task<Pop3Client> ConnectAsync(ScriptedServer server, Pop3ClientOptions? options = null)
    {
        server.Start();
        return await Pop3Client.ConnectAsync(options ?? Options(server), CancellationToken.None);
    }

    public static async Task<Pop3Client> LoginAsync(ScriptedServer server, Pop3ClientOptions? options = null)
    {
        Pop3Client client = await ConnectAsync(server, options);
        await client.LoginAsync("alice", "secret", CancellationToken.None);
        return client;
    }
}
