using System.CommandLine;

namespace RawMail.Cli.Commands;

internal static class Pop3Commands
{
    public static Command Create()
    {
        var command = new Command("pop3", "Pop3 commands.");
        command.SetAction(CommandRunner.NotAvailable("Pop3"));
        return command;
    }
}
