using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using RawMail.Protocols.Imap;
using RawMail.Protocols.Imap.Model;
using RawMail.Protocols.Pop3;
using RawMail.Protocols.Smtp;
using RawMail.Sasl;
using RawMail.Transport;

namespace RawMail.Benchmarks.Workloads;

/// <summary>
/// The short sessions of the startup and latency benchmarks, each over implicit TLS to a replay server and
/// authenticated with XOAUTH2. IMAP runs connect, AUTHENTICATE, SELECT, FETCH of one message and LOGOUT. SMTP runs
/// connect with EHLO, AUTH, one message and QUIT. POP3 runs connect, AUTH, RETR of one message and QUIT. Each
/// step's wall time goes to an optional <see cref="StepTimes"/>. <see cref="TlsAsync"/> is the TCP and TLS part alone.
/// </summary>
internal static class LatencySessions
{
    public static readonly SaslCredentials Credentials =
        SaslCredentials.FromTokenProvider("bench@example.test", AccessTokenProvider.FromToken("bench-access-token"));

    private static readonly FetchRequest s_body = new(FetchItems.Uid, new FetchBodyRequest());
    private static readonly SmtpEnvelope s_envelope = new("ann@example.test", "bob@example.test");

    /// <summary>A bare TCP connect and TLS handshake, trusting the CA as the clients do, for reference.</summary>
    public static async Task<int> TlsAsync(int port, StepTimes? times = null)
    {
        var watch = Stopwatch.StartNew();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        times?.Add("TCP connect", watch);
        await using var stream = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await stream.AuthenticateAsClientAsync(BenchCertificates.Shared.ClientOptions());
        times?.Add("TLS handshake", watch);
        return (int)stream.SslProtocol;
    }

    public static async Task<long> ImapAsync(int port, StepTimes? times = null)
    {
        var watch = Stopwatch.StartNew();
        var options = new ImapClientOptions { Connection = LoopbackOptions.Connection(port, tls: true) };
        await using ImapClient client = await ImapClient.ConnectAsync(options);
        times?.Add("connect, TLS, greeting", watch);
        await client.AuthenticateAsync(Credentials);
        times?.Add("AUTHENTICATE XOAUTH2", watch);
        await client.SelectAsync("INBOX");
        times?.Add("SELECT", watch);
        IReadOnlyList<FetchResponse> fetched = await client.FetchAsync(SequenceSet.Of(1), s_body);
        times?.Add("UID FETCH BODY[]", watch);
        await client.LogoutAsync();
        times?.Add("LOGOUT", watch);
        return fetched[0].Sections[0].Length;
    }

    public static async Task<int> SmtpAsync(int port, byte[] message, StepTimes? times = null)
    {
        var watch = Stopwatch.StartNew();
        var options = new SmtpClientOptions
        {
            Connection = LoopbackOptions.Connection(port, tls: true),
            EhloDomain = "client.example.test",
        };
        await using SmtpClient client = await SmtpClient.ConnectAsync(options);
        times?.Add("connect, TLS, EHLO", watch);
        await client.AuthenticateAsync(Credentials);
        times?.Add("AUTH XOAUTH2", watch);
        using var source = new MemoryStream(message, writable: false);
        SendResult result = await client.SendAsync(s_envelope, source);
        times?.Add("MAIL, RCPT, DATA", watch);
        await client.QuitAsync();
        times?.Add("QUIT", watch);
        return result.Accepted.Count;
    }

    public static async Task<long> Pop3Async(int port, StepTimes? times = null)
    {
        var watch = Stopwatch.StartNew();
        MailConnectionOptions connection = LoopbackOptions.Connection(port, tls: true);
        var options = new Pop3ClientOptions
        {
            Host = connection.Host,
            Port = connection.Port,
            TlsMode = connection.TlsMode,
            TargetHostOverride = connection.TargetHostOverride,
            TrustedCertificateAuthorities = connection.TrustedCertificateAuthorities,
        };
        await using Pop3Client client = await Pop3Client.ConnectAsync(options, CancellationToken.None);
        times?.Add("connect, TLS, CAPA", watch);
        await client.AuthenticateAsync(Credentials, CancellationToken.None);
        times?.Add("AUTH XOAUTH2", watch);
        long octets = await client.RetrieveAsync(1, Stream.Null, CancellationToken.None);
        times?.Add("RETR", watch);
        await client.QuitAsync(CancellationToken.None);
        times?.Add("QUIT", watch);
        return octets;
    }
}

/// <summary>Wall times of the named steps of one session, in order.</summary>
internal sealed class StepTimes
{
    public List<(string Step, TimeSpan Time)> Steps { get; } = [];

    /// <summary>Records the time since the last step and restarts <paramref name="watch"/>.</summary>
    public void Add(string step, Stopwatch watch)
    {
        Steps.Add((step, watch.Elapsed));
        watch.Restart();
    }
}
