using System.CommandLine;

namespace RawMail.Cli.Commands;

internal static class SmtpCommands
{
    public static Command Create()
    {
        var command = new Command("smtp", "Smtp commands.");
        command.SetAction(CommandRunner.NotAvailable("Smtp"));
        return command;
    }
}
