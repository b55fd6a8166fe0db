namespace RawMail.Cli.Demo;

internal sealed partial class DemoMail
{
    // NOTE: the IMAP client is not merged into this build yet, so the demo stops at its IMAP step.
    public Task<string> ReadWithImapAsync(string subject, CancellationToken cancellationToken) =>
        throw new CliException(
            ExitCodes.Other,
            $"Reading over IMAP ({servers.Host}:{servers.ImapsPort}) is not available yet in this build: the IMAP client is missing.");
}
