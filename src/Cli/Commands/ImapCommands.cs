using System.CommandLine;

namespace RawMail.Cli.Commands;

// NOTE: the IMAP client is not merged into this build yet, so every imap subcommand reports that it is unavailable.
internal static class ImapCommands
{
    public static Command Create()
    {
        var command = new Command("imap", "IMAP commands (not available yet in this build).");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(CommandRunner.NotAvailable("rawmail imap"));
        return command;
    }
}
