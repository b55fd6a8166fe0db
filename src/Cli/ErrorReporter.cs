using System.Net.Sockets;
using System.Security.Authentication;
using RawMail.OAuth2;
using RawMail.Sasl;
using RawMail.Transport;

namespace RawMail.Cli;

/// <summary>Maps an exception to an exit code and a one-line message that carries the server's own text.</summary>
internal static class ErrorReporter
{
    public static int Report(Exception exception, TextWriter error)
    {
        (int code, string message) = Classify(exception);
        error.WriteLine("rawmail: " + Output.Printable(message));
        return code;
    }

    public static (int Code, string Message) Classify(Exception exception) => exception switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        MailAuthenticationException auth => (ExitCodes.Authentication, DescribeAuthentication(auth)),
        MailCommandException command => (ExitCodes.CommandRejected, "the server rejected the command: " + command.Message),
        MailProtocolException protocol => ClassifyProtocol(protocol),
        SaslException sasl => (ExitCodes.Authentication, "authentication failed: " + sasl.Message),
        OAuth2Exception oauth => (ExitCodes.OAuth, DescribeOAuth(oauth)),
        AuthenticationException tls => (ExitCodes.Tls, "TLS failed: " + tls.Message),
        SocketException socket => (ExitCodes.Connection, "connection failed: " + socket.Message),
        TimeoutException timeout => (ExitCodes.Connection, "timed out: " + timeout.Message),
        OperationCanceledException => (ExitCodes.Other, "canceled"),
        IOException io when io.InnerException is SocketException socket =>
            (ExitCodes.Connection, "connection failed: " + socket.Message),
        FileNotFoundException file => (ExitCodes.Usage, "file not found: " + file.FileName),

        // The libraries check the values the user typed (a user name, a message number, an address) and throw
        // ArgumentException for an invalid one before anything is sent.
        ArgumentException argument => (ExitCodes.Usage, "invalid value: " + FirstLine(argument.Message)),
        _ => (ExitCodes.Other, exception.GetType().Name + ": " + exception.Message),
    };

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    private static (int, string) ClassifyProtocol(MailProtocolException exception)
    {
        int code = exception.Reason switch
        {
            ProtocolErrorReason.CertificateInvalid
                or ProtocolErrorReason.TlsHandshakeFailed
                or ProtocolErrorReason.StartTlsRefused
                or ProtocolErrorReason.PlaintextAfterStartTls
                or ProtocolErrorReason.CredentialsWithoutTls => ExitCodes.Tls,
            ProtocolErrorReason.ConnectFailed
                or ProtocolErrorReason.Timeout
                or ProtocolErrorReason.ConnectionClosed
                or ProtocolErrorReason.ConnectionBroken
                or ProtocolErrorReason.ServerShutdown => ExitCodes.Connection,
            _ => ExitCodes.Other,
        };
        string message = exception.Message;

        // A timeout's inner exception contains only "canceled", and a rejected certificate's only names the callback.
        bool innerAddsDetail = exception.InnerException is { } inner
            && inner is not OperationCanceledException
            && exception.Reason != ProtocolErrorReason.CertificateInvalid
            && !message.Contains(inner.Message, StringComparison.Ordinal);
        if (innerAddsDetail)
        {
            message += " (" + exception.InnerException!.Message + ")";
        }

        string prefix = code switch
        {
            ExitCodes.Tls => "TLS failed: ",
            ExitCodes.Connection => "connection failed: ",
            _ => "protocol error: ",
        };
        return (code, prefix + message);
    }

    private static string DescribeAuthentication(MailAuthenticationException exception)
    {
        string message = "authentication failed: " + exception.Message;
        if (exception.ServerErrorDetail is { Length: > 0 } detail)
        {
            message += " (server error detail: " + detail + ")";
        }

        return message;
    }

    private static string DescribeOAuth(OAuth2Exception exception)
    {
        string message = "OAuth 2.0 error: " + exception.Message;
        if (exception.Error is { } error && !message.Contains(error, StringComparison.Ordinal))
        {
            message += " (error=" + error + ")";
        }

        if (exception.ErrorDescription is { } description && !message.Contains(description, StringComparison.Ordinal))
        {
            message += ": " + description;
        }

        return message;
    }
}
