using System.Diagnostics.CodeAnalysis;

namespace RawMail.Transport;

/// <summary>Throw helpers, so the callers' hot paths stay small enough to inline.</summary>
public static class TransportThrow
{
    [DoesNotReturn]
    public static void LineTooLong(int maxLength)
    {
        throw new MailProtocolException(
            ProtocolErrorReason.LineTooLong,
            $"The server sent a line longer than the maximum of {maxLength} bytes.");
    }

    [DoesNotReturn]
    public static void ConnectionClosed()
    {
        throw new MailProtocolException(
            ProtocolErrorReason.ConnectionClosed,
            "The server closed the connection before the response was complete.");
    }

    [DoesNotReturn]
    public static void MalformedResponse(string message)
    {
        throw new MailProtocolException(ProtocolErrorReason.MalformedResponse, message);
    }

    [DoesNotReturn]
    public static void UnexpectedResponse(string message)
    {
        throw new MailProtocolException(ProtocolErrorReason.UnexpectedResponse, message);
    }

    [DoesNotReturn]
    public static void LiteralTooLarge(long announced, long maxLength)
    {
        throw new MailProtocolException(
            ProtocolErrorReason.LiteralTooLarge,
            $"The server announced {announced} bytes, more than the maximum of {maxLength} bytes.");
    }
}
