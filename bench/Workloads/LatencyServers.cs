namespace RawMail.Benchmarks.Workloads;

/// <summary>The IMAP, SMTP and POP3 replay servers of the latency benchmarks, on 127.0.0.1 with implicit TLS.</summary>
internal sealed class LatencyServers : IDisposable
{
    private readonly LoopbackLineServer _imap;
    private readonly LoopbackLineServer _smtp;
    private readonly LoopbackLineServer _pop3;

    public LatencyServers()
    {
        byte[][] messages = ImapBulkWorkload.Messages()[..1];
        SmtpMessage = DotLineWorkload.Generate(1, 19 * 1024)[0];
        var certificate = BenchCertificates.Shared.Server;
        _imap = new LoopbackLineServer(
            ImapReplaySession.Greeting, () => new ImapReplaySession(messages, 1), certificate);
        _smtp = new LoopbackLineServer(SmtpReplaySession.Greeting, () => new SmtpReplaySession(), certificate);
        byte[][] replies = Pop3ReplaySession.Replies(messages);
        _pop3 = new LoopbackLineServer(Pop3ReplaySession.Greeting, () => new Pop3ReplaySession(replies), certificate);
    }

    public int ImapPort => _imap.Port;

    public int SmtpPort => _smtp.Port;

    public int Pop3Port => _pop3.Port;

    /// <summary>The message the SMTP session sends, about 19 KB.</summary>
    public byte[] SmtpMessage { get; }

    public void Dispose()
    {
        _imap.Dispose();
        _smtp.Dispose();
        _pop3.Dispose();
    }
}
