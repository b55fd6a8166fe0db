using System.Security.Cryptography.X509Certificates;
using RawMail.Sasl;
using RawMail.Transport.Diagnostics;

namespace RawMail.Cli.Demo;

/// <summary>The demo's mail steps: submission over SMTP, then reading back over IMAP and POP3.</summary>
internal sealed class DemoMail(
    ServersState servers, X509Certificate2Collection trusted, ProtocolLog? log, SaslCredentials credentials)
{
    public Task<string> SendAsync(string subject, CancellationToken cancellationToken) =>
        throw NotAvailable("SMTP");

    public Task<string> ReadWithImapAsync(string subject, CancellationToken cancellationToken) =>
        throw NotAvailable("IMAP");

    public Task<string> ReadWithPop3Async(string subject, CancellationToken cancellationToken) =>
        throw NotAvailable("POP3");

    private CliException NotAvailable(string protocol) =>
        new(ExitCodes.Other, $"The {protocol} client is not available yet in this build ({servers.Host}, {trusted.Count}, {log is null}, {credentials.UserName}).");
}
