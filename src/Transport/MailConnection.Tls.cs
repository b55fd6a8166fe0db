using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RawMail.Transport;

public sealed partial class MailConnection
{
    private static readonly Oid s_serverAuthentication = new("1.3.6.1.5.5.7.3.1");

    private string? _certificateRejection;

    /// <summary>
    /// Starts TLS on a plain-text connection after the server accepted STARTTLS (IMAP RFC 3501 section 6.2.1,
    /// SMTP RFC 3207 section 4, POP3 STLS RFC 2595 section 4). Call it after the go-ahead line was consumed
    /// with <see cref="AdvanceTo"/> or <see cref="ReadAsync{TResult}"/>.
    /// </summary>
    /// <remarks>
    /// Bytes that the server sent after the go-ahead line were sent in plain text and could come from an attacker
    /// (the CVE-2011-0411 class of response injection), so they are never parsed. If any are buffered or waiting
    /// on the socket, the connection is closed. <see cref="Input"/> and <see cref="Output"/> are replaced by pipes
    /// over the TLS stream. A failed handshake closes the connection and never falls back to plain text.
    /// </remarks>
    /// <exception cref="MailProtocolException">
    /// <see cref="ProtocolErrorReason.PlaintextAfterStartTls"/>, <see cref="ProtocolErrorReason.CertificateInvalid"/>,
    /// <see cref="ProtocolErrorReason.TlsHandshakeFailed"/> or <see cref="ProtocolErrorReason.Timeout"/>.
    /// </exception>
    public async ValueTask UpgradeToTlsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        if (IsEncrypted)
        {
            throw new InvalidOperationException("The connection is already encrypted.");
        }

        if (_unconsumedBytes > 0 || HasBufferedInput())
        {
            Abort(
                ProtocolErrorReason.PlaintextAfterStartTls,
                "The server sent data after accepting STARTTLS and before the TLS handshake; the data may be "
                    + "injected, so the connection was closed without reading it.");
        }

        // The plain-text pipes hold no unread data now, and their streams stay open (leaveOpen), so completing
        // them only releases their buffers.
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);

        if (_socket.Available > 0)
        {
            Abort(
                ProtocolErrorReason.PlaintextAfterStartTls,
                "The server sent data after accepting STARTTLS and before the TLS handshake; the data may be "
                    + "injected, so the connection was closed without reading it.");
        }

        CancellationToken deadline = _readDeadline.Start(cancellationToken);
        try
        {
            await AuthenticateTlsAsync(_readDeadline.Timeout, deadline, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _readDeadline.Stop();
        }
    }

    private bool HasBufferedInput()
    {
        if (!Input.TryRead(out System.IO.Pipelines.ReadResult result))
        {
            return false;
        }

        bool hasData = !result.Buffer.IsEmpty;
        Input.AdvanceTo(result.Buffer.Start);
        return hasData;
    }

    private async ValueTask AuthenticateTlsAsync(
        TimeSpan timeout,
        CancellationToken deadline,
        CancellationToken cancellationToken)
    {
        var sslStream = new SslStream(_networkStream, leaveInnerStreamOpen: true);
        var sslOptions = new SslClientAuthenticationOptions
        {
            TargetHost = _options.TargetHostOverride ?? _options.Host,
            EnabledSslProtocols = _options.SslProtocols,
            RemoteCertificateValidationCallback = ValidateServerCertificate,
        };

        try
        {
            await sslStream.AuthenticateAsClientAsync(sslOptions, deadline).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
        {
            await sslStream.DisposeAsync().ConfigureAwait(false);
            Close();
            throw TranslateHandshakeFailure(ex, timeout, cancellationToken);
        }

        _sslStream = sslStream;
        CreatePipes(sslStream);
    }

    private Exception TranslateHandshakeFailure(Exception ex, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (ex is OperationCanceledException)
        {
            return cancellationToken.IsCancellationRequested
                ? new OperationCanceledException("The TLS handshake was canceled; the connection was closed.", ex,
                    cancellationToken)
                : new MailProtocolException(
                    ProtocolErrorReason.Timeout,
                    $"The TLS handshake timed out after {timeout.TotalSeconds} seconds; the connection was closed.",
                    ex);
        }

        if (_certificateRejection is { } rejection)
        {
            return new MailProtocolException(
                ProtocolErrorReason.CertificateInvalid,
                $"The server certificate was rejected: {rejection}.",
                ex);
        }

        return new MailProtocolException(
            ProtocolErrorReason.TlsHandshakeFailed,
            $"The TLS handshake failed: {ex.Message}",
            ex);
    }

    private bool ValidateServerCertificate(
        object sender,
        X509Certificate? certificate,
        X509Chain? chain,
        SslPolicyErrors errors)
    {
        if (_options.DangerousAcceptAnyServerCertificate)
        {
            return true;
        }

        string chainStatus = DescribeChain(chain);
        if (errors == SslPolicyErrors.RemoteCertificateChainErrors
            && certificate is not null
            && _options.TrustedCertificateAuthorities is { Count: > 0 } authorities)
        {
            errors = ValidateWithExtraAuthorities(certificate, chain, authorities, out chainStatus);
        }

        bool accepted = _options.ServerCertificateValidationCallback is { } callback
            ? callback(sender, certificate, chain, errors)
            : errors == SslPolicyErrors.None;

        if (!accepted)
        {
            _certificateRejection = chainStatus.Length == 0 ? errors.ToString() : $"{errors} ({chainStatus})";
        }

        return accepted;
    }

    /// <summary>
    /// Builds the chain again with the extra authorities as trust anchors. Host name errors are decided before this
    /// runs and are never excused by an extra authority.
    /// </summary>
    private static SslPolicyErrors ValidateWithExtraAuthorities(
        X509Certificate certificate,
        X509Chain? serverChain,
        X509Certificate2Collection authorities,
        out string chainStatus)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(s_serverAuthentication);
        if (serverChain is not null)
        {
            // The intermediates that the server sent in its handshake.
            chain.ChainPolicy.ExtraStore.AddRange(serverChain.ChainPolicy.ExtraStore);
        }

        using var leaf = certificate as X509Certificate2 is { } existing
            ? new X509Certificate2(existing)
            : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        bool valid = chain.Build(leaf);
        chainStatus = DescribeChain(chain);
        return valid ? SslPolicyErrors.None : SslPolicyErrors.RemoteCertificateChainErrors;
    }

    private static string DescribeChain(X509Chain? chain)
    {
        if (chain is null || chain.ChainStatus.Length == 0)
        {
            return string.Empty;
        }

        return string.Join(", ", chain.ChainStatus.Select(status => status.Status.ToString()));
    }
}
