using System.CommandLine;

namespace RawMail.Cli;

/// <summary>Runs a command's action and turns every failure into a message on standard error and an exit code.</summary>
internal static class CommandRunner
{
    public static Func<ParseResult, CancellationToken, Task<int>> Wrap(
        Func<ParseResult, CancellationToken, Task<int>> action)
    {
        return async (result, cancellationToken) =>
        {
            try
            {
                return await action(result, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                return ErrorReporter.Report(ex, Console.Error);
            }
        };
    }

    /// <summary>An action for a command group whose protocol client is not part of this build yet.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> NotAvailable(string feature) =>
        (_, _) =>
        {
            Console.Error.WriteLine($"rawmail: {feature} is not available yet in this build.");
            return Task.FromResult(ExitCodes.Other);
        };
}
