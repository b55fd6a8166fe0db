using System.CommandLine;

namespace RawMail.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("rawmail: IMAP, SMTP and POP3 with OAuth 2.0 from the command line.");
        return root.Parse(args).Invoke();
    }
}
