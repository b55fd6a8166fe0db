using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RawMail.OAuth2;

/// <summary>
/// Receives the authorization redirect on a loopback address (RFC 8252 7.3).
/// </summary>
/// <remarks>
/// It uses a TcpListener bound to 127.0.0.1 or ::1 instead of HttpListener. HttpListener takes URL
/// prefixes and picks the bound addresses in its platform code, so a caller cannot pin it to the
/// loopback address. The listener accepts exactly one redirect: a GET to the redirect path, with a
/// loopback Host header and the expected state. Every other request gets an error response: 404
/// for another path, 400 for a wrong Host or state, 405 for another method. The listener then
/// keeps waiting, so a stale browser tab or a page that probes the port can neither end nor take
/// over the sign-in. The timeout bounds the wait.
/// </remarks>
public sealed partial class LoopbackRedirectListener : IAsyncDisposable
{
    private static readonly TimeSpan s_connectionTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Limit of connections served at once; more wait in the accept backlog.</summary>
    private const int MaxConnections = 16;

    private readonly List<TcpListener> _listeners;
    private readonly ILogger _logger;
    private readonly string _path;

    private LoopbackRedirectListener(List<TcpListener> listeners, Uri redirectUri, ILogger logger)
    {
        _listeners = listeners;
        _logger = logger;
        RedirectUri = redirectUri;
        _path = redirectUri.AbsolutePath;
    }

    /// <summary>The redirect URI to send, with the port actually bound.</summary>
    public Uri RedirectUri { get; }

    public int Port => ((IPEndPoint)_listeners[0].LocalEndpoint).Port;

    /// <summary>
    /// Binds the loopback address named by <paramref name="redirectUri"/>: 127.0.0.1 (or another
    /// 127.0.0.0/8 address), ::1, or for "localhost" both 127.0.0.1 and ::1 on one port, since a
    /// browser may resolve localhost to either. Port 0 picks a free port.
    /// </summary>
    public static LoopbackRedirectListener Start(Uri redirectUri, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        if (!redirectUri.IsAbsoluteUri
            || redirectUri.Scheme != Uri.UriSchemeHttp
            || !OAuth2Endpoints.IsLoopbackHost(redirectUri))
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.InvalidConfiguration,
                $"The redirect URI '{redirectUri}' must be http on 127.0.0.1, [::1] or localhost (RFC 8252 7.3).");
        }

        if (!string.IsNullOrEmpty(redirectUri.Query) || !string.IsNullOrEmpty(redirectUri.Fragment))
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.InvalidConfiguration,
                $"The redirect URI '{redirectUri}' must not have a query or fragment.");
        }

        bool isLocalhostName = redirectUri.HostNameType == UriHostNameType.Dns;
        IPAddress first = isLocalhostName ? IPAddress.Loopback : IPAddress.Parse(redirectUri.IdnHost);
        var listeners = new List<TcpListener> { Bind(first, redirectUri.Port) };
        int port = ((IPEndPoint)listeners[0].LocalEndpoint).Port;
        if (isLocalhostName && Socket.OSSupportsIPv6)
        {
            try
            {
                listeners.Add(Bind(IPAddress.IPv6Loopback, port));
            }
            catch (SocketException)
            {
                // Note: the IPv6 loopback may be disabled; 127.0.0.1 alone then serves localhost.
            }
        }

        var bound = new UriBuilder(redirectUri) { Port = port }.Uri;
        ILogger effectiveLogger = logger ?? NullLogger.Instance;
        OAuth2Log.ListenerStarted(effectiveLogger, bound);
        return new LoopbackRedirectListener(listeners, bound, effectiveLogger);
    }

    /// <summary>
    /// Waits for the redirect that carries <paramref name="expectedState"/> and sends the browser
    /// the success or error page.
    /// </summary>
    /// <remarks>
    /// RFC 9207 2.4: an <c>iss</c> in the redirect must equal <paramref name="expectedIssuer"/> when
    /// that is known, and with <paramref name="issuerRequired"/> (the server advertises
    /// authorization_response_iss_parameter_supported) a redirect without <c>iss</c> is rejected.
    /// </remarks>
    /// <exception cref="OAuth2Exception">An error redirect, an issuer mismatch, or the timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<AuthorizationResponse> WaitForRedirectAsync(
        string expectedState,
        string? expectedIssuer,
        bool issuerRequired,
        TimeSpan timeout,
        RedirectPages pages,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expectedState);
        ArgumentNullException.ThrowIfNull(pages);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var expectation = new RedirectExpectation(expectedState, expectedIssuer, issuerRequired);
        var accepts = new Task<TcpClient>?[_listeners.Count];

        // Connections are served concurrently, because a browser may open a spare connection that
        // never carries a request, and the redirect must not wait behind it.
        var connections = new List<Task<AuthorizationResponse?>>();
        try
        {
            while (true)
            {
                for (int i = 0; i < _listeners.Count && connections.Count < MaxConnections; i++)
                {
                    accepts[i] ??= _listeners[i].AcceptTcpClientAsync(timeoutSource.Token).AsTask();
                }

                var pending = new List<Task>(connections);
                pending.AddRange(accepts.OfType<Task<TcpClient>>());
                Task finished = await Task.WhenAny(pending).ConfigureAwait(false);
                if (finished is Task<AuthorizationResponse?> connection)
                {
                    connections.Remove(connection);
                    AuthorizationResponse? response = await connection.ConfigureAwait(false);
                    if (response is not null)
                    {
                        return response;
                    }

                    continue;
                }

                accepts[Array.IndexOf(accepts, finished)] = null;
                TcpClient client = await ((Task<TcpClient>)finished).ConfigureAwait(false);
                connections.Add(ServeAsync(client, expectation, pages, timeoutSource.Token));
            }
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.Timeout,
                $"No authorization redirect arrived at {RedirectUri} within {timeout.TotalSeconds} s.",
                exception);
        }
        finally
        {
            Stop();
            // Ends the connections still open, such as a spare one the browser never used.
            await timeoutSource.CancelAsync().ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private void Stop()
    {
        foreach (TcpListener listener in _listeners)
        {
            listener.Stop();
        }
    }

    private static TcpListener Bind(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        listener.Start(backlog: 4);
        return listener;
    }

    /// <summary>What the one accepted redirect must carry.</summary>
    private readonly record struct RedirectExpectation(string State, string? Issuer, bool IssuerRequired);

    private static bool FixedTimeEquals(string left, string right) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(left), Encoding.UTF8.GetBytes(right));
}
