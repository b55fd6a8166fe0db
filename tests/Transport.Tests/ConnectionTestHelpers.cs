using System.Net;
using RawMail.TestSupport;
using RawMail.Transport;
using RawMail.Transport.Diagnostics;

namespace RawMail.Transport.Tests;

internal static class ConnectionTestHelpers
{
    public static MailConnectionOptions PlainOptions(
        ScriptedServer server,
        TimeSpan? commandTimeout = null,
        int maxLineLength = MailConnectionOptions.DefaultMaxLineLength,
        ProtocolLog? log = null)
    {
        return new MailConnectionOptions
        {
            Host = IPAddress.Loopback.ToString(),
            Port = server.Port,
            TlsMode = TlsMode.None,
            CommandTimeout = commandTimeout ?? TimeSpan.FromSeconds(30),
            MaxLineLength = maxLineLength,
            ProtocolLog = log,
        };
    }

    /// <summary>A port on 127.0.0.1 with no listener: bound once to learn a free number, then released.</summary>
    public static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
