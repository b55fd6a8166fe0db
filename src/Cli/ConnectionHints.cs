using RawMail.Transport;

namespace RawMail.Cli;

/// <summary>
/// Adds the likely fix to a failure to open a session, for the usual set-up mistakes: a port of another protocol,
/// the wrong --tls mode, a server certificate from a private certificate authority.
/// </summary>
internal static class ConnectionHints
{
    /// <summary>
    /// Returns <paramref name="exception"/> itself, or a <see cref="CliException"/> with the same exit code whose
    /// message ends with a hint.
    /// </summary>
    public static Exception Explain(MailProtocolException exception, MailConnectionOptions connection, string protocol)
    {
        int port = connection.Port;
        string? hint = exception.Reason switch
        {
            // A plain-text greeting read as a TLS record fails the handshake at once.
            ProtocolErrorReason.TlsHandshakeFailed when connection.TlsMode == TlsMode.Implicit =>
                $"if port {port} starts in plain text, use --tls starttls or the {protocol} TLS port",

            // A TLS port waits for the client's handshake, so a client that waits for a greeting times out.
            ProtocolErrorReason.Timeout when connection.TlsMode == TlsMode.StartTls =>
                $"if port {port} expects TLS from the first byte, use --tls implicit",
            ProtocolErrorReason.CertificateInvalid =>
                "if the server's certificate comes from a private certificate authority, give that authority's "
                    + "certificate with --ca-file",
            ProtocolErrorReason.MalformedResponse or ProtocolErrorReason.UnexpectedResponse =>
                $"check that port {port} (--port) serves {protocol}",
            _ => null,
        };

        if (hint is null)
        {
            return exception;
        }

        (int code, string message) = ErrorReporter.Classify(exception);
        return new CliException(code, message.TrimEnd('.') + "; " + hint + ".", exception);
    }
}
