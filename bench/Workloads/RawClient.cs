using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace RawMail.Benchmarks.Workloads;

/// <summary>
/// The baselines' side of a loopback connection: a socket to the replay server, wrapped in an SslStream that trusts
/// only the benchmark CA when the benchmark runs over TLS, and a drain that reads it to the end.
/// </summary>
internal static class RawClient
{
    public static async Task<Stream> OpenAsync(int port, bool tls)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var network = new NetworkStream(socket, ownsSocket: true);
        if (!tls)
        {
            return network;
        }

        var secure = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await secure.AuthenticateAsClientAsync(BenchCertificates.Shared.ClientOptions());
            return secure;
        }
        catch
        {
            await secure.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads the stream until the server closes it; returns the octets read.</summary>
    public static async Task<long> DrainAsync(Stream stream)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
