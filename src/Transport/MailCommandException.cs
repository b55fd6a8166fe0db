namespace RawMail.Transport;

/// <summary>
/// A command that the server rejected. The connection stays usable for further commands.
/// </summary>
public class MailCommandException : Exception
{
    /// <summary>Maximum number of characters of server text kept in <see cref="ResponseText"/>.</summary>
    public const int MaxResponseTextLength = 512;

    /// <param name="reason">Why the command failed.</param>
    /// <param name="message">What the client tried to do, for example "SELECT INBOX failed".</param>
    /// <param name="responseText">
    /// The server's response text. Control characters and non-ASCII bytes are escaped and the text is cut to
    /// <see cref="MaxResponseTextLength"/> characters before it is stored.
    /// </param>
    public MailCommandException(CommandErrorReason reason, string message, ReadOnlySpan<byte> responseText)
        : base(message)
    {
        Reason = reason;
        ResponseText = ProtocolText.Escape(responseText, MaxResponseTextLength);
    }

    public CommandErrorReason Reason { get; }

    /// <summary>The server's response text, escaped and cut, so it is safe to show or log.</summary>
    public string ResponseText { get; }

    public override string Message => base.Message + ": " + ResponseText;
}
