namespace RawMail.Transport;

/// <summary>
/// A failure after which the connection is unusable. The connection is already closed when this is thrown.
/// </summary>
public sealed class MailProtocolException : IOException
{
    public MailProtocolException(ProtocolErrorReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    public ProtocolErrorReason Reason { get; }
}
