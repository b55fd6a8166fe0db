using System.Buffers;
using System.Buffers.Text;

namespace RawMail.Sasl;

// server-first-message = [reserved-mext ","] nonce "," salt "," iteration-count ["," extensions]
// (RFC 5802 section 7).
internal readonly struct ScramServerFirstMessage
{
    // The RFC 5802 example server-first message is 70 bytes. The cap keeps a hostile server from
    // making the client buffer and hash megabytes as part of the AuthMessage.
    public const int MaxLength = 4096;

    private const int MaxSaltLength = 1024;

    public ScramServerFirstMessage(string nonce, byte[] salt, int iterationCount)
    {
        Nonce = nonce;
        Salt = salt;
        IterationCount = iterationCount;
    }

    public string Nonce { get; }

    public byte[] Salt { get; }

    public int IterationCount { get; }

    public static ScramServerFirstMessage Parse(ReadOnlySpan<byte> message, string clientNonce,
        int minIterationCount, int maxIterationCount)
    {
        if (message.Length > MaxLength)
        {
            throw Invalid($"it is {message.Length} bytes, more than the limit of {MaxLength}");
        }

        if (message.StartsWith("m="u8))
        {
            throw new SaslException(SaslErrorReason.UnsupportedExtension,
                "The SCRAM server-first message requires an extension (m=) that this client does not implement.");
        }

        ReadOnlySpan<byte> rest = message;
        ReadOnlySpan<byte> nonce = TakeAttribute(ref rest, (byte)'r');
        ReadOnlySpan<byte> salt = TakeAttribute(ref rest, (byte)'s');
        ReadOnlySpan<byte> iterations = TakeAttribute(ref rest, (byte)'i');

        // Extensions after i= are allowed and ignored (RFC 5802 section 5.1).
        return new ScramServerFirstMessage(
            ParseNonce(nonce, clientNonce),
            ParseSalt(salt),
            ParseIterationCount(iterations, minIterationCount, maxIterationCount));
    }

    // Takes "name=value" up to the next ',' or the end, and returns the value.
    private static ReadOnlySpan<byte> TakeAttribute(ref ReadOnlySpan<byte> rest, byte name)
    {
        if (rest.Length < 2 || rest[0] != name || rest[1] != (byte)'=')
        {
            throw Invalid($"the attribute '{(char)name}=' is missing or out of order");
        }

        int end = rest.IndexOf((byte)',');
        ReadOnlySpan<byte> value = end < 0 ? rest[2..] : rest[2..end];
        rest = end < 0 ? [] : rest[(end + 1)..];
        return value;
    }

    private static string ParseNonce(ReadOnlySpan<byte> nonce, string clientNonce)
    {
        // printable = %x21-2B / %x2D-7E, which excludes ','.
        foreach (byte b in nonce)
        {
            if (b < 0x21 || b > 0x7E)
            {
                throw Invalid("the nonce contains a byte outside printable ASCII");
            }
        }

        // RFC 5802 section 5.1: the server appends its own part to the client nonce.
        bool extendsClientNonce = nonce.Length > clientNonce.Length;
        for (int i = 0; extendsClientNonce && i < clientNonce.Length; i++)
        {
            extendsClientNonce = nonce[i] == clientNonce[i];
        }

        if (!extendsClientNonce)
        {
            throw new SaslException(SaslErrorReason.NonceMismatch,
                "The SCRAM server nonce does not start with the client nonce, or adds nothing to it.");
        }

        return System.Text.Encoding.ASCII.GetString(nonce);
    }

    private static byte[] ParseSalt(ReadOnlySpan<byte> salt)
    {
        // Base64.IsValid skips whitespace, which the SCRAM base64 syntax does not allow.
        if (salt.IsEmpty || salt.Length > MaxSaltLength * 4 / 3 + 4 || salt.IndexOfAny(" \t\r\n"u8) >= 0
            || !Base64.IsValid(salt, out int length) || length == 0)
        {
            throw Invalid("the salt is empty or not valid base64");
        }

        byte[] decoded = new byte[length];
        OperationStatus status = Base64.DecodeFromUtf8(salt, decoded, out _, out int written);
        if (status != OperationStatus.Done || written != length)
        {
            throw Invalid("the salt is not valid base64");
        }

        return decoded;
    }

    private static int ParseIterationCount(ReadOnlySpan<byte> text, int min, int max)
    {
        if (text.IsEmpty || text[0] is < (byte)'1' or > (byte)'9'
            || !Utf8Parser.TryParse(text, out int count, out int consumed) || consumed != text.Length)
        {
            throw Invalid("the iteration count is not a positive decimal number");
        }

        if (count < min || count > max)
        {
            throw new SaslException(SaslErrorReason.IterationCountOutOfRange,
                $"The SCRAM iteration count {count} is outside the accepted range {min} to {max}.");
        }

        return count;
    }

    private static SaslException Invalid(string detail) =>
        new(SaslErrorReason.InvalidServerMessage, $"The SCRAM server-first message is invalid: {detail}.");
}
