using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RawMail.OAuth2.Tests;

public sealed class LoopbackListenerTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    private static async Task<string> SendRawAsync(IPAddress address, int port, string request)
    {
        using var client = new TcpClient(address.AddressFamily);
        await client.ConnectAsync(address, port);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static string Get(int port, string target, string? host = null) =>
        $"GET {target} HTTP/1.1\r\nHost: {host ?? "127.0.0.1:" + port}\r\nUser-Agent: test\r\n\r\n";

    private static Task<AuthorizationResponse> Wait(
        LoopbackRedirectListener listener, string? issuer = null, CancellationToken cancellationToken = default) =>
        listener.WaitForRedirectAsync("S", issuer, issuer is not null, s_wait, RedirectPages.Default, cancellationToken);

    [Fact]
    public async Task SuccessWithHttpClient()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/callback"));
        Task<AuthorizationResponse> wait = Wait(listener);
        using var http = new HttpClient();

        using HttpResponseMessage page = await http.GetAsync($"http://127.0.0.1:{listener.Port}/callback?code=C%2F1&state=S");
        AuthorizationResponse response = await wait;

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(RedirectPages.Default.SuccessHtml, await page.Content.ReadAsStringAsync());
        Assert.Equal("C/1", response.Code);
        Assert.Equal("S", response.State);
    }

    [Fact]
    public async Task EphemeralPortInRedirectUri()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/callback"));

        Assert.NotEqual(0, listener.Port);
        Assert.Equal($"http://127.0.0.1:{listener.Port}/callback", listener.RedirectUri.OriginalString);
    }

    [Fact]
    public async Task CustomSuccessPage()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));
        var pages = new RedirectPages { SuccessHtml = "<p>done</p>" };
        Task<AuthorizationResponse> wait = listener.WaitForRedirectAsync("S", null, false, s_wait, pages, CancellationToken.None);

        string reply = await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?state=S&code=C"));
        await wait;

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", reply);
        Assert.EndsWith("\r\n\r\n<p>done</p>", reply);
    }

    [Fact]
    public async Task WrongStateKeepsWaiting()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));
        Task<AuthorizationResponse> wait = Wait(listener);

        string rejected = await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?code=EVIL&state=T"));
        string missing = await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?code=EVIL"));
        await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?code=GOOD&state=S"));
        AuthorizationResponse response = await wait;

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", rejected);
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", missing);
        Assert.Equal("GOOD", response.Code);
    }

    [Fact]
    public async Task WrongPathKeepsWaiting()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/callback"));
        Task<AuthorizationResponse> wait = Wait(listener);

        string favicon = await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/favicon.ico"));
        string prefix = await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/callback/x?state=S&code=C"));
        await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/callback?state=S&code=C"));
        await wait;

        Assert.StartsWith("HTTP/1.1 404 Not Found\r\n", favicon);
        Assert.StartsWith("HTTP/1.1 404 Not Found\r\n", prefix);
    }

    [Fact]
    public async Task PostRejected()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));
        Task<AuthorizationResponse> wait = Wait(listener);

        string reply = await SendRawAsync(
            IPAddress.Loopback, listener.Port, $"POST /?state=S&code=C HTTP/1.1\r\nHost: 127.0.0.1:{listener.Port}\r\n\r\n");
        await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?state=S&code=C"));
        await wait;

        Assert.StartsWith("HTTP/1.1 405 Method Not Allowed\r\n", reply);
    }

    [Theory]
    [InlineData("evil.example.com")]
    [InlineData("attacker.test:{port}")]
    [InlineData("127.0.0.1:1")]
    [InlineData("")]
    public async Task NonLoopbackHostRejected(string host)
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));
        Task<AuthorizationResponse> wait = Wait(listener);
        string hostHeader = host.Replace("{port}", listener.Port.ToString(), StringComparison.Ordinal);

        string reply = await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?state=S&code=EVIL", hostHeader));
        await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?state=S&code=GOOD"));
        AuthorizationResponse response = await wait;

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", reply);
        Assert.Equal("GOOD", response.Code);
    }

    [Fact]
    public async Task LocalhostHostAccepted()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));
        Task<AuthorizationResponse> wait = Wait(listener);

        await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?state=S&code=C", $"localhost:{listener.Port}"));

        Assert.Equal("C", (await wait).Code);
    }

    [Fact]
    public async Task ErrorRedirect()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/getAToken"));
        Task<AuthorizationResponse> wait = listener.WaitForRedirectAsync(
            "Zx3k9Q", null, false, s_wait, RedirectPages.Default, CancellationToken.None);

        string reply = await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port,
            "/getAToken?error=redirect_uri_mismatch&error_description=AADB2C90006:+The+redirect+URI+" +
            "'http://127.0.0.1:5000/getAToken'+provided+in+the+request+is+not+registered+for+the+client+id+" +
            "'00000000-0000-0000-0000-000000000001'.%0d%0aCorrelation+ID:+22222222-2222-2222-2222-222222222222" +
            "%0d%0aTimestamp:+2023-05-03+10:03:02Z%0d%0a&state=Zx3k9Q"));
        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => wait);

        Assert.EndsWith(RedirectPages.Default.ErrorHtml, reply);
        Assert.Equal(OAuth2ErrorReason.Other, exception.Reason);
        Assert.Equal("redirect_uri_mismatch", exception.Error);
        Assert.Equal(
            "AADB2C90006: The redirect URI 'http://127.0.0.1:5000/getAToken' provided in the request is not registered " +
            "for the client id '00000000-0000-0000-0000-000000000001'.\r\nCorrelation ID: " +
            "22222222-2222-2222-2222-222222222222\r\nTimestamp: 2023-05-03 10:03:02Z\r\n",
            exception.ErrorDescription);
    }

    [Fact]
    public async Task AccessDeniedRedirect()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));
        Task<AuthorizationResponse> wait = Wait(listener);

        await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?error=access_denied&state=S"));
        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => wait);

        Assert.Equal(OAuth2ErrorReason.AccessDenied, exception.Reason);
    }

    [Fact]
    public async Task ErrorWithWrongStateIgnored()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));
        Task<AuthorizationResponse> wait = Wait(listener);

        string reply = await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?error=access_denied&state=X"));
        await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?code=C&state=S"));

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", reply);
        Assert.Equal("C", (await wait).Code);
    }

    [Fact]
    public async Task SecondRequestAfterSuccessRefused()
    {
        var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));
        await using (listener)
        {
            Task<AuthorizationResponse> wait = Wait(listener);
            await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?code=C&state=S"));
            await wait;

            SocketException exception = await Assert.ThrowsAsync<SocketException>(() =>
                SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?code=C&state=S")));

            Assert.Equal(SocketError.ConnectionRefused, exception.SocketErrorCode);
        }
    }

    [Fact]
    public async Task TimeoutGivesTimeoutReason()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));

        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() =>
            listener.WaitForRedirectAsync(
                "S", null, false, TimeSpan.FromMilliseconds(50), RedirectPages.Default, CancellationToken.None));

        Assert.Equal(OAuth2ErrorReason.Timeout, exception.Reason);
    }

    [Fact]
    public async Task CancellationPropagates()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));
        using var cancellation = new CancellationTokenSource();
        Task<AuthorizationResponse> wait = Wait(listener, cancellationToken: cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public async Task IssuerRequiredAndChecked()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));
        Task<AuthorizationResponse> wait = Wait(listener, issuer: "https://auth.example.com");

        await SendRawAsync(IPAddress.Loopback, listener.Port,
            Get(listener.Port, "/?code=C&state=S&iss=https%3A%2F%2Fevil.example.com"));
        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => wait);

        Assert.Equal(OAuth2ErrorReason.IssuerMismatch, exception.Reason);
    }

    [Fact]
    public async Task IssuerMissingRejected()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));
        Task<AuthorizationResponse> wait = Wait(listener, issuer: "https://auth.example.com");

        await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?code=C&state=S"));
        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => wait);

        Assert.Equal(OAuth2ErrorReason.IssuerMismatch, exception.Reason);
    }

    [Fact]
    public async Task IssuerMatchAccepted()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));
        Task<AuthorizationResponse> wait = Wait(listener, issuer: "https://auth.example.com");

        await SendRawAsync(IPAddress.Loopback, listener.Port,
            Get(listener.Port, "/?code=C&state=S&iss=https%3A%2F%2Fauth.example.com"));

        Assert.Equal("https://auth.example.com", (await wait).Issuer);
    }

    [Fact]
    public async Task UnadvertisedIssuerStillChecked()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));
        Task<AuthorizationResponse> wait = listener.WaitForRedirectAsync(
            "S", "https://auth.example.com", false, s_wait, RedirectPages.Default, CancellationToken.None);

        await SendRawAsync(IPAddress.Loopback, listener.Port,
            Get(listener.Port, "/?code=C&state=S&iss=https%3A%2F%2Fevil.example.com"));
        OAuth2Exception exception = await Assert.ThrowsAsync<OAuth2Exception>(() => wait);

        Assert.Equal(OAuth2ErrorReason.IssuerMismatch, exception.Reason);
    }

    [Fact]
    public async Task UnadvertisedIssuerMayBeAbsent()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));
        Task<AuthorizationResponse> wait = listener.WaitForRedirectAsync(
            "S", "https://auth.example.com", false, s_wait, RedirectPages.Default, CancellationToken.None);

        await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?code=C&state=S"));

        Assert.Null((await wait).Issuer);
    }

    [Fact]
    public async Task IdleConnectionDoesNotBlock()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));
        // The wait ends before the 10 s idle limit of a connection, so the redirect must not queue behind it.
        Task<AuthorizationResponse> wait = listener.WaitForRedirectAsync(
            "S", null, false, TimeSpan.FromSeconds(8), RedirectPages.Default, CancellationToken.None);
        using var idle = new TcpClient();
        await idle.ConnectAsync(IPAddress.Loopback, listener.Port);

        await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?code=C&state=S"));

        Assert.Equal("C", (await wait).Code);
    }

    [Fact]
    public async Task GarbageThenRedirect()
    {
        await using var listener = LoopbackRedirectListener.Start(new Uri("http://127.0.0.1:0/"));
        Task<AuthorizationResponse> wait = Wait(listener);

        string reply = await SendRawAsync(IPAddress.Loopback, listener.Port, "\u0016\u0003\u0001garbage\r\n\r\n");
        await SendRawAsync(IPAddress.Loopback, listener.Port, Get(listener.Port, "/?code=C&state=S"));

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", reply);
        Assert.Equal("C", (await wait).Code);
    }

    [Fact]
    public async Task Ipv6Loopback()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return;
        }

        await using var listener = LoopbackRedirectListener.Start(new Uri("http://[::1]:0/"));
        Task<AuthorizationResponse> wait = Wait(listener);

        await SendRawAsync(IPAddress.IPv6Loopback, listener.Port, Get(listener.Port, "/?code=C&state=S", $"[::1]:{listener.Port}"));

        Assert.Equal("C", (await wait).Code);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0/")]
    [InlineData("http://192.168.1.10:8080/")]
    [InlineData("https://127.0.0.1:0/")]
    [InlineData("http://127.0.0.1:0/?x=1")]
    public void NonLoopbackRedirectRejected(string redirectUri)
    {
        OAuth2Exception exception = Assert.Throws<OAuth2Exception>(() => LoopbackRedirectListener.Start(new Uri(redirectUri)));

        Assert.Equal(OAuth2ErrorReason.InvalidConfiguration, exception.Reason);
    }
}
