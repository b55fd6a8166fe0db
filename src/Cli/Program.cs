using System.CommandLine;
using RawMail.Cli.Commands;

namespace RawMail.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        RootCommand root = CreateRootCommand();
        ParseResult result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError error in result.Errors)
            {
                Console.Error.WriteLine("rawmail: " + error.Message);
            }

            Console.Error.WriteLine("Run 'rawmail --help' for usage.");
            return ExitCodes.Usage;
        }

        return await result.InvokeAsync().ConfigureAwait(false);
    }

    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(
            "rawmail: IMAP, SMTP and POP3 with OAuth 2.0 from the command line.\n\n" + ExitCodes.Table);
        root.Subcommands.Add(TokenCommand.Create());
        root.Subcommands.Add(ImapCommands.Create());
        root.Subcommands.Add(SmtpCommands.Create());
        root.Subcommands.Add(Pop3Commands.Create());
        root.Subcommands.Add(Demo.DemoCommand.Create());
        return root;
    }
}
