using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using RawMail.Sasl;
using RawMail.Transport;

namespace RawMail.Protocols.Pop3;

public sealed partial class Pop3Client
{
    // RFC 2449 section 4: a command line, CRLF included, is at most 255 octets. RFC 5034 section 4 sends an initial
    // response that would exceed it after an empty challenge instead.
    private const int MaxCommandLineLength = 255;

    private static readonly SaslMechanismSelector s_defaultSelector = new();

    /// <summary>
    /// Authenticates with the best SASL mechanism that the server advertises and the credentials can serve, in the
    /// order of <see cref="Pop3ClientOptions.MechanismSelector"/>. A server without CAPA advertises no mechanisms;
    /// for one, pass the mechanism to <see cref="AuthenticateAsync(SaslMechanism, CancellationToken)"/>.
    /// </summary>
    /// <exception cref="SaslException">
    /// No advertised mechanism fits the credentials (<see cref="SaslErrorReason.NoSupportedMechanism"/>), or the
    /// exchange failed on the client side.
    /// </exception>
    /// <exception cref="MailAuthenticationException">
    /// The server rejected the credentials; for XOAUTH2 and OAUTHBEARER it carries the decoded error document.
    /// </exception>
    /// <exception cref="Pop3CommandException">
    /// The server replied with [IN-USE], [LOGIN-DELAY], [SYS/TEMP] or [SYS/PERM], so the credentials may be right.
    /// </exception>
    public Task AuthenticateAsync(SaslCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        SaslMechanismSelector selector = _options.MechanismSelector ?? s_defaultSelector;
        SaslMechanism mechanism = selector.SelectRequired(Capabilities.SaslMechanisms, credentials);
        return AuthenticateAsync(mechanism, cancellationToken);
    }

    /// <summary>
    /// Authenticates with AUTH and the given mechanism (RFC 5034), whether or not the server advertises it.
    /// </summary>
    /// <remarks>
    /// The initial response goes on the AUTH line only when the server advertises SASL and the line fits in 255
    /// octets. Otherwise the client sends "AUTH mechanism" alone and the response after the server's empty "+"
    /// challenge: Microsoft 365 rejects a long XOAUTH2 response on the AUTH line.
    /// </remarks>
    /// <inheritdoc cref="AuthenticateAsync(SaslCredentials, CancellationToken)"/>
    public async Task AuthenticateAsync(SaslMechanism mechanism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        ProtocolText.ThrowIfContainsLineBreakOrNul(mechanism.Name, nameof(mechanism));
        ThrowIfAuthenticated();
        using OperationScope operation = BeginOperation(requiresTransaction: false);

        var context = new SaslContext(_options.Host, _options.Port, "pop");
        using SaslResponse? initial = await mechanism.CreateInitialResponseAsync(context, cancellationToken)
            .ConfigureAwait(false);
        bool sendInline = initial is not null
            && _options.AllowSaslInitialResponse
            && Capabilities.SupportsSasl
            && FitsOnAuthLine(mechanism.Name, initial);

        _connection.Write(Encoding.ASCII.GetBytes("AUTH " + mechanism.Name));
        if (sendInline)
        {
            _connection.Write(" "u8);
            WriteSaslResponse(initial!, emptyAsEquals: true);
        }
        else
        {
            _connection.Write("\r\n"u8);
        }

        await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        await RunSaslExchangeAsync(mechanism, sendInline ? null : initial, cancellationToken).ConfigureAwait(false);
        _state = SessionState.Transaction;
    }

    /// <summary>
    /// Logs in with USER and PASS (RFC 1939 section 7). Use it only over TLS: the password crosses the connection
    /// as it is.
    /// </summary>
    /// <exception cref="ArgumentException">The user name or password is empty or contains CR, LF or NUL.</exception>
    /// <exception cref="MailAuthenticationException">The server rejected the user name or the password.</exception>
    /// <exception cref="Pop3CommandException">
    /// The server replied with [IN-USE], [LOGIN-DELAY], [SYS/TEMP] or [SYS/PERM].
    /// </exception>
    public async Task LoginAsync(string userName, string password, CancellationToken cancellationToken)
    {
        ThrowIfInvalidCredential(userName, nameof(userName));
        ThrowIfInvalidCredential(password, nameof(password));
        ThrowIfAuthenticated();
        using OperationScope operation = BeginOperation(requiresTransaction: false);

        Pop3Reply reply = await SendAsync("USER " + userName, cancellationToken).ConfigureAwait(false);
        if (!reply.IsOk)
        {
            throw AuthenticationFailed("USER", reply, mechanism: null);
        }

        _connection.Write("PASS "u8);
        byte[] secret = Encoding.UTF8.GetBytes(password);
        try
        {
            _connection.WriteSecret(secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }

        _connection.Write("\r\n"u8);
        await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        reply = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        if (!reply.IsOk)
        {
            throw AuthenticationFailed("PASS", reply, mechanism: null);
        }

        _state = SessionState.Transaction;
    }

    /// <summary>
    /// Logs in with APOP, an MD5 digest of the greeting's timestamp and the password (RFC 1939 section 7). Only
    /// when <see cref="Pop3ClientOptions.AllowApop"/> is set and the greeting carries a timestamp
    /// (<see cref="ApopTimestamp"/>); the client never tries APOP on its own, because some servers drop the
    /// connection after a failed APOP.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="Pop3ClientOptions.AllowApop"/> is false.</exception>
    /// <exception cref="MailCommandException">
    /// <see cref="CommandErrorReason.NotSupported"/>: the greeting has no APOP timestamp.
    /// </exception>
    /// <exception cref="MailAuthenticationException">The server rejected the digest.</exception>
    public async Task LoginApopAsync(string userName, string password, CancellationToken cancellationToken)
    {
        ThrowIfInvalidCredential(userName, nameof(userName));
        ThrowIfInvalidCredential(password, nameof(password));
        if (userName.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException("An APOP user name cannot contain a space.", nameof(userName));
        }

        if (!_options.AllowApop)
        {
            throw new InvalidOperationException(
                "APOP is disabled; set Pop3ClientOptions.AllowApop to use it, or prefer AuthenticateAsync.");
        }

        ThrowIfAuthenticated();
        if (ApopTimestamp is not { } timestamp)
        {
            throw new MailCommandException(
                CommandErrorReason.NotSupported,
                "The server's greeting has no APOP timestamp, so it does not offer APOP",
                Encoding.UTF8.GetBytes(Greeting));
        }

        using OperationScope operation = BeginOperation(requiresTransaction: false);
        string digest = ApopDigest.Compute(timestamp, password);
        Pop3Reply reply = await SendAsync("APOP " + userName + " " + digest, cancellationToken)
            .ConfigureAwait(false);
        if (!reply.IsOk)
        {
            throw AuthenticationFailed("APOP", reply, mechanism: null);
        }

        _state = SessionState.Transaction;
    }

    private async Task RunSaslExchangeAsync(
        SaslMechanism mechanism,
        SaslResponse? pendingInitial,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            Pop3Reply reply = await ReadChallengeAsync(cancellationToken).ConfigureAwait(false);
            if (reply.Kind == Pop3ReplyKind.Error)
            {
                throw AuthenticationFailed("AUTH " + mechanism.Name, reply, mechanism);
            }

            if (reply.Kind == Pop3ReplyKind.Ok)
            {
                CompleteSaslSuccess(mechanism);
                return;
            }

            byte[] challenge = DecodeChallenge(reply);
            if (pendingInitial is not null)
            {
                // The empty challenge that requests the initial response (RFC 5034 section 4).
                WriteSaslResponse(pendingInitial, emptyAsEquals: false);
                pendingInitial = null;
            }
            else
            {
                using SaslResponse response = await EvaluateOrCancelAsync(mechanism, challenge, cancellationToken)
                    .ConfigureAwait(false);
                WriteSaslResponse(response, emptyAsEquals: false);
            }

            await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void CompleteSaslSuccess(SaslMechanism mechanism)
    {
        if (mechanism.HasServerError)
        {
            _connection.Abort(
                ProtocolErrorReason.UnexpectedResponse,
                $"The server reported {mechanism.Name} success after sending an error challenge.");
        }

        try
        {
            mechanism.ValidateSuccess([]);
        }
        catch (SaslException ex)
        {
            // The server did not prove that it has the password (SCRAM), so the session is not trusted.
            _connection.Abort(ProtocolErrorReason.UnexpectedResponse, ex.Message, ex);
        }
    }

    // Responds to a challenge, or cancels the exchange with "*" (RFC 5034 section 4) when the mechanism rejects
    // the challenge, and reads the server's -ERR so the connection stays usable.
    private async ValueTask<SaslResponse> EvaluateOrCancelAsync(
        SaslMechanism mechanism,
        byte[] challenge,
        CancellationToken cancellationToken)
    {
        try
        {
            return mechanism.EvaluateChallenge(challenge);
        }
        catch (SaslException)
        {
            _connection.Write("*\r\n"u8);
            await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            Pop3Reply reply = await ReadChallengeAsync(cancellationToken).ConfigureAwait(false);
            if (reply.Kind != Pop3ReplyKind.Error)
            {
                _connection.Abort(
                    ProtocolErrorReason.UnexpectedResponse,
                    "The server did not answer the cancelled SASL exchange with -ERR.");
            }

            throw;
        }
    }

    private byte[] DecodeChallenge(Pop3Reply reply)
    {
        // "+" alone and "+ " both carry an empty challenge; Microsoft 365 sends "+" alone.
        byte[] text = reply.TextBytes;
        byte[] challenge = new byte[text.Length / 4 * 3 + 3];
        if (Base64.DecodeFromUtf8(text, challenge, out _, out int written)
            != OperationStatus.Done)
        {
            _connection.Abort(
                ProtocolErrorReason.MalformedResponse,
                "The server sent a SASL challenge that is not valid base64.");
        }

        return challenge[..written];
    }

    // Writes the response as base64 and CRLF, masked in the protocol log, from a buffer cleared afterwards.
    private void WriteSaslResponse(SaslResponse response, bool emptyAsEquals)
    {
        if (response.IsEmpty)
        {
            // An empty initial response on the AUTH line is "=" (RFC 5034 section 4); elsewhere an empty line.
            _connection.Write(emptyAsEquals ? "=\r\n"u8 : "\r\n"u8);
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(response.Base64Length);
        try
        {
            int length = response.CopyBase64To(buffer);
            _connection.WriteSecret(buffer.AsSpan(0, length));
            _connection.Write("\r\n"u8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool FitsOnAuthLine(string mechanismName, SaslResponse initial)
    {
        int encodedLength = initial.IsEmpty ? 1 : initial.Base64Length;
        int lineLength = "AUTH ".Length + mechanismName.Length + 1 + encodedLength + 2;
        return lineLength <= MaxCommandLineLength;
    }

    private static MailCommandException AuthenticationFailed(string command, Pop3Reply reply, SaslMechanism? mechanism)
    {
        if (reply.Code is Pop3ResponseCode.InUse or Pop3ResponseCode.LoginDelay
            or Pop3ResponseCode.SystemTemporary or Pop3ResponseCode.SystemPermanent)
        {
            return new Pop3CommandException(
                command,
                reply.Code,
                $"The server could not complete {command}",
                reply.TextBytes);
        }

        string? detail = null;
        Dictionary<string, string>? fields = null;
        if (mechanism is SaslOAuthMechanism { HasServerError: true } oauth)
        {
            detail = oauth.OAuthError?.Raw ?? Encoding.UTF8.GetString(oauth.ErrorChallenge.Span);
            fields = ToFields(oauth.OAuthError);
        }

        return new MailAuthenticationException($"The server rejected {command}", reply.TextBytes, detail, fields);
    }

    private static Dictionary<string, string>? ToFields(SaslOAuthError? error)
    {
        if (error is null)
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        AddIfPresent(fields, "status", error.Status);
        AddIfPresent(fields, "schemes", error.Schemes);
        AddIfPresent(fields, "scope", error.Scope);
        AddIfPresent(fields, "openid-configuration", error.OpenIdConfiguration);
        return fields;
    }

    private static void AddIfPresent(Dictionary<string, string> fields, string name, string? value)
    {
        if (value is not null)
        {
            fields[name] = value;
        }
    }

    private static void ThrowIfInvalidCredential(string value, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, paramName);
        ProtocolText.ThrowIfContainsLineBreakOrNul(value, paramName);
    }
}
