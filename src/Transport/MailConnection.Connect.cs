using System.Net;
using System.Net.Sockets;

namespace RawMail.Transport;

public sealed partial class MailConnection
{
    /// <summary>
    /// Resolves the host, connects to its addresses in the order DNS returns them until one accepts, and with
    /// <see cref="TlsMode.Implicit"/> completes the TLS handshake, all within
    /// <see cref="MailConnectionOptions.ConnectTimeout"/>.
    /// </summary>
    /// <exception cref="MailProtocolException">
    /// <see cref="ProtocolErrorReason.ConnectFailed"/> when resolution fails or no address accepts,
    /// <see cref="ProtocolErrorReason.Timeout"/> when the connect timeout elapses, or a TLS reason.
    /// </exception>
    /// <exception cref="OperationCanceledException">The caller canceled; nothing stays open.</exception>
    public static async ValueTask<MailConnection> ConnectAsync(
        MailConnectionOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ConnectTimeout);

        IPAddress[] addresses = await ResolveAsync(options, deadline.Token, cancellationToken).ConfigureAwait(false);
        return await ConnectCoreAsync(options, addresses, deadline.Token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Connects to the given addresses in turn without DNS, so tests can control the address list.
    /// </summary>
    internal static async ValueTask<MailConnection> ConnectAsync(
        MailConnectionOptions options,
        IReadOnlyList<IPAddress> addresses,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ConnectTimeout);
        return await ConnectCoreAsync(options, addresses, deadline.Token, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<MailConnection> ConnectCoreAsync(
        MailConnectionOptions options,
        IReadOnlyList<IPAddress> addresses,
        CancellationToken deadline,
        CancellationToken cancellationToken)
    {
        Socket socket = await ConnectSocketAsync(options, addresses, deadline, cancellationToken).ConfigureAwait(false);
        var connection = new MailConnection(options, socket);
        if (options.TlsMode == TlsMode.Implicit)
        {
            await connection.AuthenticateTlsAsync(options.ConnectTimeout, deadline, cancellationToken)
                .ConfigureAwait(false);
        }

        return connection;
    }

    private static async ValueTask<IPAddress[]> ResolveAsync(
        MailConnectionOptions options,
        CancellationToken deadline,
        CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(options.Host, out IPAddress? literal))
        {
            return [literal];
        }

        try
        {
            IPAddress[] addresses = await Dns.GetHostAddressesAsync(options.Host, deadline).ConfigureAwait(false);
            if (addresses.Length == 0)
            {
                throw new MailProtocolException(
                    ProtocolErrorReason.ConnectFailed,
                    $"The host name '{ProtocolText.Escape(options.Host, 255)}' resolved to no address.");
            }

            return addresses;
        }
        catch (SocketException ex)
        {
            throw new MailProtocolException(
                ProtocolErrorReason.ConnectFailed,
                $"Resolving the host name '{ProtocolText.Escape(options.Host, 255)}' failed: {ex.SocketErrorCode}.",
                ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw ConnectTimedOut(options, ex);
        }
    }

    private static async ValueTask<Socket> ConnectSocketAsync(
        MailConnectionOptions options,
        IReadOnlyList<IPAddress> addresses,
        CancellationToken deadline,
        CancellationToken cancellationToken)
    {
        List<Exception>? failures = null;
        foreach (IPAddress address in addresses)
        {
            if (options.LocalEndPoint is { } local && local.AddressFamily != address.AddressFamily)
            {
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (options.LocalEndPoint is { } localEndPoint)
                {
                    socket.Bind(localEndPoint);
                }

                await socket.ConnectAsync(new IPEndPoint(address, options.Port), deadline).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                (failures ??= []).Add(ex);
            }
            catch (OperationCanceledException ex)
            {
                socket.Dispose();
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                throw ConnectTimedOut(options, ex);
            }
        }

        if (failures is null)
        {
            throw new MailProtocolException(
                ProtocolErrorReason.ConnectFailed,
                $"{ProtocolText.Escape(options.Host, 255)} has no address in the address family of the local "
                    + $"end point {options.LocalEndPoint}.");
        }

        throw new MailProtocolException(
            ProtocolErrorReason.ConnectFailed,
            $"Connecting to {ProtocolText.Escape(options.Host, 255)} port {options.Port} failed on all "
                + $"{failures.Count} addresses.",
            new AggregateException(failures));
    }

    private static MailProtocolException ConnectTimedOut(MailConnectionOptions options, Exception innerException)
    {
        return new MailProtocolException(
            ProtocolErrorReason.Timeout,
            $"Connecting to {ProtocolText.Escape(options.Host, 255)} port {options.Port} timed out after "
                + $"{options.ConnectTimeout.TotalSeconds} seconds.",
            innerException);
    }
}
