using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RawMail.OAuth2;

public sealed partial class LoopbackRedirectListener
{
    private async Task<AuthorizationResponse?> ServeAsync(
        TcpClient client, RedirectExpectation expectation, RedirectPages pages, CancellationToken cancellationToken)
    {
        using (client)
        {
            return await HandleConnectionAsync(client, expectation, pages, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads one request, responds to it and returns the authorization response when it is the expected
    /// redirect.
    /// </summary>
    private async Task<AuthorizationResponse?> HandleConnectionAsync(
        TcpClient client,
        RedirectExpectation expectation,
        RedirectPages pages,
        CancellationToken cancellationToken)
    {
        NetworkStream stream = client.GetStream();
        RedirectRequest? request;
        using (var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            readTimeout.CancelAfter(s_connectionTimeout);
            try
            {
                request = await ReadRequestAsync(stream, readTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or SocketException
                || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                OAuth2Log.RedirectRejected(_logger, "connection closed or idle before a complete request");
                return null;
            }
        }

        if (request is not { } valid)
        {
            await RejectAsync(stream, HttpStatusCode.BadRequest, "malformed request", cancellationToken)
                .ConfigureAwait(false);
            return null;
        }

        if (valid.Method != "GET")
        {
            await RejectAsync(stream, HttpStatusCode.MethodNotAllowed, "method is not GET", cancellationToken)
                .ConfigureAwait(false);
            return null;
        }

        // A Host other than the loopback address and port is what a DNS rebinding page sends.
        if (!IsExpectedHost(valid.Host))
        {
            await RejectAsync(stream, HttpStatusCode.BadRequest, "Host header is not this loopback listener",
                cancellationToken).ConfigureAwait(false);
            return null;
        }

        int queryStart = valid.Target.IndexOf('?', StringComparison.Ordinal);
        string path = queryStart < 0 ? valid.Target : valid.Target[..queryStart];
        if (!string.Equals(path, _path, StringComparison.Ordinal))
        {
            await RejectAsync(stream, HttpStatusCode.NotFound, "path is not the redirect path", cancellationToken)
                .ConfigureAwait(false);
            return null;
        }

        ResponseFields query = ResponseFields.FromPairs(
            FormUrlEncoding.Decode(queryStart < 0 ? "" : valid.Target.AsSpan(queryStart + 1)));
        string? state = query.GetString("state");
        if (state is null || !FixedTimeEquals(state, expectation.State))
        {
            await RejectAsync(stream, HttpStatusCode.BadRequest, "state is missing or differs", cancellationToken)
                .ConfigureAwait(false);
            return null;
        }

        return await CompleteAsync(stream, query, expectation, pages, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Responds to the redirect that carries the right state, and turns it into a response or an exception.
    /// </summary>
    private static async Task<AuthorizationResponse> CompleteAsync(
        NetworkStream stream,
        ResponseFields query,
        RedirectExpectation expectation,
        RedirectPages pages,
        CancellationToken cancellationToken)
    {
        string? issuer = query.GetString("iss");
        string? error = query.GetString("error");
        string? code = query.GetString("code");
        OAuth2Exception? failure = null;

        // RFC 9207 2.4: the issuer is checked before the error or code is used.
        bool issuerWrong = issuer is null
            ? expectation.IssuerRequired
            : expectation.Issuer is not null && !string.Equals(issuer, expectation.Issuer, StringComparison.Ordinal);
        if (issuerWrong)
        {
            failure = new OAuth2Exception(
                OAuth2ErrorReason.IssuerMismatch,
                $"The authorization response names issuer '{ResponseFields.Excerpt(issuer ?? "(none)")}', " +
                $"but '{expectation.Issuer}' was expected (RFC 9207).");
        }
        else if (error is not null)
        {
            string? description = query.GetString("error_description");
            failure = new OAuth2Exception(
                OAuth2Exception.ReasonFor(error),
                $"The authorization server redirected with error '{ResponseFields.Excerpt(error)}'" +
                (description is null ? "." : $": {ResponseFields.Excerpt(description)}"))
            {
                Error = error,
                ErrorDescription = description,
                ErrorUri = query.GetString("error_uri"),
            };
        }
        else if (string.IsNullOrEmpty(code))
        {
            failure = new OAuth2Exception(
                OAuth2ErrorReason.MalformedResponse, "The authorization redirect has neither a code nor an error.");
        }

        if (failure is not null)
        {
            await TryWritePageAsync(stream, pages.ErrorHtml, cancellationToken).ConfigureAwait(false);
            throw failure;
        }

        await TryWritePageAsync(stream, pages.SuccessHtml, cancellationToken).ConfigureAwait(false);
        return new AuthorizationResponse { Code = code!, State = expectation.State, Issuer = issuer };
    }

    /// <summary>Sends the result page; a browser that closed the connection early does not change the result.</summary>
    private static async Task TryWritePageAsync(NetworkStream stream, string html, CancellationToken cancellationToken)
    {
        try
        {
            await WriteResponseAsync(stream, HttpStatusCode.OK, html, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<RedirectRequest?> ReadRequestAsync(
        NetworkStream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[RedirectRequestParser.MaxHeadLength];
        int length = 0;
        while (length < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length += read;
            switch (RedirectRequestParser.TryParse(buffer.AsSpan(0, length), out RedirectRequest request))
            {
                case RedirectParseStatus.Complete:
                    return request;
                case RedirectParseStatus.Invalid:
                    return null;
            }
        }

        return null;
    }

    private bool IsExpectedHost(string? host)
    {
        if (host is null || !Uri.TryCreate("http://" + host + "/", UriKind.Absolute, out Uri? parsed))
        {
            return false;
        }

        return parsed.Port == Port && parsed.AbsolutePath == "/" && OAuth2Endpoints.IsLoopbackHost(parsed)
            && string.IsNullOrEmpty(parsed.UserInfo);
    }

    private async Task RejectAsync(
        NetworkStream stream, HttpStatusCode status, string reason, CancellationToken cancellationToken)
    {
        OAuth2Log.RedirectRejected(_logger, reason);
        string body = "<!DOCTYPE html><html><body><p>" + ((int)status).ToString(CultureInfo.InvariantCulture)
            + ": this request is not the expected redirect.</p></body></html>";
        try
        {
            await WriteResponseAsync(stream, status, body, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The client went away; the listener keeps waiting for the real redirect.
        }
    }

    private static async Task WriteResponseAsync(
        NetworkStream stream, HttpStatusCode status, string html, CancellationToken cancellationToken)
    {
        byte[] body = Encoding.UTF8.GetBytes(html);
        string head = "HTTP/1.1 " + ((int)status).ToString(CultureInfo.InvariantCulture) + " " + ReasonPhrase(status)
            + "\r\nContent-Type: text/html; charset=utf-8"
            + "\r\nContent-Length: " + body.Length.ToString(CultureInfo.InvariantCulture)
            + "\r\nCache-Control: no-store"
            + "\r\nReferrer-Policy: no-referrer"
            + "\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.OK => "OK",
        HttpStatusCode.BadRequest => "Bad Request",
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.MethodNotAllowed => "Method Not Allowed",
        _ => "Error",
    };
}
