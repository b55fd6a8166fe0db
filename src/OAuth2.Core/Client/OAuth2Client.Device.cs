namespace RawMail.OAuth2;

public sealed partial class OAuth2Client
{
    /// <summary>Added to the polling interval on each slow_down (RFC 8628 3.5).</summary>
    private static readonly TimeSpan s_slowDownIncrement = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound of the interval after repeated transport failures.</summary>
    private static readonly TimeSpan s_maxBackoffInterval = TimeSpan.FromMinutes(1);

    /// <summary>Runs the device authorization grant (RFC 8628 3.1 to 3.5).</summary>
    private async Task<OAuth2Token> AcquireWithDeviceCodeAsync(
        OAuth2Endpoints endpoints, CancellationToken cancellationToken)
    {
        Uri deviceEndpoint = endpoints.DeviceAuthorizationEndpoint ?? throw new OAuth2Exception(
            OAuth2ErrorReason.InvalidConfiguration, "The device flow needs a device authorization endpoint.");
        Func<DeviceAuthorization, CancellationToken, Task> callback = _options.DeviceCodeCallback
            ?? throw new OAuth2Exception(
                OAuth2ErrorReason.InvalidConfiguration,
                "The device flow needs DeviceCodeCallback to show the user code.");

        TokenRequest start = TokenRequests.DeviceAuthorization(_options, deviceEndpoint, _timeProvider.GetUtcNow());
        HttpResult result = await SendFormAsync(start, cancellationToken).ConfigureAwait(false);
        if (result.Status != System.Net.HttpStatusCode.OK)
        {
            throw ResponseFields.ToException(result.Status, result.MediaType, result.Body);
        }

        ResponseFields fields = ResponseFields.TryParse(result.MediaType, result.Body) ?? throw new OAuth2Exception(
            OAuth2ErrorReason.MalformedResponse,
            $"The device authorization response is not JSON: {ResponseFields.DescribeSuccessBody(result.Body)}.");
        DeviceAuthorization authorization = DeviceAuthorization.FromFields(fields, result.ReceivedAt);
        await callback(authorization, cancellationToken).ConfigureAwait(false);
        OAuth2Token token = await PollDeviceTokenAsync(endpoints, authorization, cancellationToken)
            .ConfigureAwait(false);

        // The device grant's id token is checked like the browser flow's, but no nonce was sent.
        await ValidateIdTokenAsync(token, endpoints, nonce: null, cancellationToken).ConfigureAwait(false);
        return token;
    }

    private async Task<OAuth2Token> PollDeviceTokenAsync(
        OAuth2Endpoints endpoints, DeviceAuthorization authorization, CancellationToken cancellationToken)
    {
        List<string> scopes = TokenRequests.EffectiveScopes(_options);
        TimeSpan interval = authorization.Interval;
        while (true)
        {
            await Task.Delay(interval, _timeProvider, cancellationToken).ConfigureAwait(false);
            if (_timeProvider.GetUtcNow() >= authorization.ExpiresAt)
            {
                throw DeviceCodeExpired();
            }

            TokenRequest poll = TokenRequests.DeviceCode(
                _options, endpoints.TokenEndpoint, authorization.DeviceCode, _timeProvider.GetUtcNow());
            HttpResult result;
            try
            {
                result = await SendFormAsync(poll, cancellationToken).ConfigureAwait(false);
            }
            catch (OAuth2Exception exception) when (exception.Reason is OAuth2ErrorReason.Timeout
                or OAuth2ErrorReason.NetworkFailure)
            {
                // RFC 8628 3.5: after a connection failure the client polls less often, then retries.
                interval = Backoff(interval);
                continue;
            }

            if ((int)result.Status >= 500)
            {
                interval = Backoff(interval);
                OAuth2Log.DevicePollPending(_logger, interval.TotalSeconds);
                continue;
            }

            try
            {
                return TokenResponse.Parse(result.Status, result.MediaType, result.Body, result.ReceivedAt, scopes);
            }
            catch (OAuth2Exception exception) when (exception.Error == "authorization_pending")
            {
                OAuth2Log.DevicePollPending(_logger, interval.TotalSeconds);
            }
            catch (OAuth2Exception exception) when (exception.Error == "slow_down")
            {
                interval += s_slowDownIncrement;
                OAuth2Log.DevicePollPending(_logger, interval.TotalSeconds);
            }
            catch (OAuth2Exception exception) when (exception.Error == "expired_token")
            {
                throw DeviceCodeExpired(exception);
            }
        }
    }

    private static TimeSpan Backoff(TimeSpan interval) =>
        interval * 2 > s_maxBackoffInterval ? s_maxBackoffInterval : interval * 2;

    private static OAuth2Exception DeviceCodeExpired(Exception? inner = null) => new(
        OAuth2ErrorReason.ExpiredToken,
        "The device code expired before the user completed the sign-in; start the device flow again.",
        inner)
    {
        Error = "expired_token",
    };
}
