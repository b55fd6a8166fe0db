namespace RawMail.Sasl;

/// <summary>
/// The connection a SASL exchange runs on: the server host and port the client connected to and
/// the protocol's service name ("imap", "smtp", "pop").
/// </summary>
/// <remarks>
/// OAUTHBEARER sends the host and port to the server (RFC 7628 section 3.1), so they are the real
/// values of the connection, never a default.
/// </remarks>
public sealed class SaslContext
{
    public SaslContext(string host, int port, string serviceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        SaslText.ThrowIfNotPrintableAscii(host, nameof(host));
        SaslText.ThrowIfNotPrintableAscii(serviceName, nameof(serviceName));

        Host = host;
        Port = port;
        ServiceName = serviceName;
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>The SASL service name of the protocol, for example "imap", "smtp" or "pop".</summary>
    public string ServiceName { get; }
}
