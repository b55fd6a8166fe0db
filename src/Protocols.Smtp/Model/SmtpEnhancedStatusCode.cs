using System.Globalization;

namespace RawMail.Protocols.Smtp;

/// <summary>
/// An enhanced mail system status code (RFC 3463), for example 5.7.8, that a server with ENHANCEDSTATUSCODES
/// puts at the start of its reply text (RFC 2034).
/// </summary>
/// <param name="Class">2 (success), 4 (persistent transient failure) or 5 (permanent failure).</param>
/// <param name="Subject">The subject, 0 to 999, for example 7 for security or policy status.</param>
/// <param name="Detail">The detail, 0 to 999.</param>
public readonly record struct SmtpEnhancedStatusCode(int Class, int Subject, int Detail)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Class}.{Subject}.{Detail}");
}
