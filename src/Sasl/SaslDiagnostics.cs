using System.Text;

namespace RawMail.Sasl;

// Turns server bytes into text that is safe to put in an exception message.
internal static class SaslDiagnostics
{
    private const int MaxLength = 100;

    // Keeps printable ASCII, shows other bytes as \xNN and cuts the text at MaxLength bytes.
    public static string ToPrintable(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder();
        foreach (byte b in bytes[..Math.Min(bytes.Length, MaxLength)])
        {
            if (b is >= 0x20 and < 0x7F)
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append("\\x").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (bytes.Length > MaxLength)
        {
            builder.Append("...");
        }

        return builder.ToString();
    }
}
