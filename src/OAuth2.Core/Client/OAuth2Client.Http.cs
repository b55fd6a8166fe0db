using System.Diagnostics;
using System.Net;

namespace RawMail.OAuth2;

public sealed partial class OAuth2Client
{
    /// <summary>Limit of a token, discovery or JWKS response body.</summary>
    private const int MaxResponseLength = 1024 * 1024;

    private readonly record struct HttpResult(
        HttpStatusCode Status, string? MediaType, byte[] Body, DateTimeOffset ReceivedAt);

    /// <summary>Sends a token request and parses the token response.</summary>
    private async Task<OAuth2Token> SendTokenRequestAsync(
        TokenRequest request, IReadOnlyList<string> requestedScopes, CancellationToken cancellationToken)
    {
        HttpResult result = await SendFormAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            return TokenResponse.Parse(
                result.Status, result.MediaType, result.Body, result.ReceivedAt, requestedScopes);
        }
        catch (OAuth2Exception exception)
        {
            OAuth2Log.RequestFailed(
                _logger, request.GrantType, request.Endpoint, exception.Reason, exception.Error, (int)result.Status);
            throw;
        }
    }

    /// <summary>POSTs a form and returns the raw response; HTTP errors are left to the caller.</summary>
    private async Task<HttpResult> SendFormAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        OAuth2Log.RequestStarting(_logger, request.GrantType, request.Endpoint);
        using HttpRequestMessage message = request.ToHttpRequestMessage();
        return await SendAsync(message, request.GrantType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// GETs a JSON document (discovery, JWKS) and returns its fields, or throws for a non-200 status.
    /// </summary>
    private async Task<(ResponseFields Fields, string Text)> GetJsonAsync(
        Uri location, string purpose, CancellationToken cancellationToken)
    {
        OAuth2Log.RequestStarting(_logger, purpose, location);
        using var message = new HttpRequestMessage(HttpMethod.Get, location);
        message.Headers.Accept.ParseAdd("application/json");
        HttpResult result = await SendAsync(message, purpose, cancellationToken).ConfigureAwait(false);
        if (result.Status != HttpStatusCode.OK)
        {
            throw ResponseFields.ToException(result.Status, result.MediaType, result.Body);
        }

        ResponseFields fields = ResponseFields.TryParse(result.MediaType, result.Body) ?? throw new OAuth2Exception(
            OAuth2ErrorReason.MalformedResponse,
            $"The {purpose} response from {location} is not a JSON object: " +
            $"Content-Type '{result.MediaType ?? "none"}', body '{ResponseFields.Excerpt(result.Body)}'.");
        return (fields, System.Text.Encoding.UTF8.GetString(result.Body));
    }

    private async Task<HttpResult> SendAsync(
        HttpRequestMessage message, string purpose, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        long started = Stopwatch.GetTimestamp();
        try
        {
            using HttpResponseMessage response = await _httpClient
                .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            byte[] body = await ReadBodyAsync(response.Content, timeout.Token).ConfigureAwait(false);
            long elapsedMilliseconds = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            OAuth2Log.RequestCompleted(_logger, purpose, message.RequestUri!, response.StatusCode, elapsedMilliseconds);
            string? mediaType = ResponseFields.MediaTypeOf(response.Content.Headers);
            return new HttpResult(response.StatusCode, mediaType, body, _timeProvider.GetUtcNow());
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            OAuth2Log.RequestFailed(_logger, purpose, message.RequestUri!, OAuth2ErrorReason.Timeout, null, null);
            throw new OAuth2Exception(
                OAuth2ErrorReason.Timeout,
                $"The {purpose} request to {message.RequestUri} timed out after " +
                $"{_options.RequestTimeout.TotalSeconds} s.",
                exception);
        }
        catch (HttpRequestException exception)
        {
            OAuth2Log.RequestFailed(
                _logger, purpose, message.RequestUri!, OAuth2ErrorReason.NetworkFailure, null, null);
            throw new OAuth2Exception(
                OAuth2ErrorReason.NetworkFailure,
                $"The {purpose} request to {message.RequestUri} failed: {exception.Message}",
                exception);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseLength)
        {
            throw TooLarge();
        }

        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxResponseLength)
                {
                    throw TooLarge();
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    private static OAuth2Exception TooLarge() => new(
        OAuth2ErrorReason.MalformedResponse, $"The response body is larger than {MaxResponseLength} bytes.");

    private async Task<OAuth2Endpoints> DiscoverAsync(Uri issuer, CancellationToken cancellationToken)
    {
        (ResponseFields fields, _) = await GetJsonAsync(
            DiscoveryDocument.LocationFor(issuer), "openid_configuration", cancellationToken).ConfigureAwait(false);
        OAuth2Endpoints endpoints = DiscoveryDocument.Parse(fields, issuer);
        OAuth2Log.DiscoveryLoaded(_logger, endpoints.Issuer!);
        return endpoints;
    }
}
