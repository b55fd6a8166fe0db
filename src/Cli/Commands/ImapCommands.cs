using System.CommandLine;

namespace RawMail.Cli.Commands;

internal static class ImapCommands
{
    public static Command Create()
    {
        var command = new Command("imap", "Imap commands.");
        command.SetAction(CommandRunner.NotAvailable("Imap"));
        return command;
    }
}
