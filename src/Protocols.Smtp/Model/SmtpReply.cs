namespace RawMail.Protocols.Smtp;

/// <summary>
/// One server reply (RFC 5321 section 4.2): a three-digit code and one or more text lines.
/// </summary>
public sealed class SmtpReply
{
    public SmtpReply(int code, IReadOnlyList<string> lines, SmtpEnhancedStatusCode? enhancedStatusCode = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(code, 200);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 599);
        ArgumentNullException.ThrowIfNull(lines);
        Code = code;
        Lines = lines;
        EnhancedStatusCode = enhancedStatusCode;
    }

    /// <summary>
    /// The reply code. In a multi-line reply whose lines carry different codes, the code of the last line, which
    /// RFC 5321 section 4.2.1 makes the one that counts.
    /// </summary>
    public int Code { get; }

    /// <summary>The enhanced status code at the start of the first line's text, when there is one.</summary>
    public SmtpEnhancedStatusCode? EnhancedStatusCode { get; }

    /// <summary>The text of each line after the code and the separator, including any enhanced status code.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The lines joined by a space.</summary>
    public string Text => string.Join(' ', Lines);

    /// <summary>True for 2xx: the command succeeded.</summary>
    public bool IsPositiveCompletion => Code is >= 200 and < 300;

    /// <summary>True for 3xx: the server waits for more from the client (354 after DATA, 334 during AUTH).</summary>
    public bool IsPositiveIntermediate => Code is >= 300 and < 400;

    /// <summary>True for 4xx: the command failed, and the same command may succeed later.</summary>
    public bool IsTransientNegative => Code is >= 400 and < 500;

    /// <summary>True for 5xx: the command failed for good.</summary>
    public bool IsPermanentNegative => Code >= 500;

    public override string ToString() => Lines.Count == 0 ? $"{Code}" : $"{Code} {Text}";
}
