namespace RawMail.Cli;

/// <summary>
/// Reads secrets from the environment or the terminal. Secrets are never taken as command-line
/// arguments, because those are visible to other users in the process list and in shell history.
/// </summary>
internal static class Secrets
{
    public static string FromEnvironment(string variable, string purpose)
    {
        string? value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
        {
            throw CliException.Usage($"The environment variable {variable} for the {purpose} is not set or empty.");
        }

        return value;
    }

    /// <summary>Prompts on the terminal without echoing; fails when no terminal is attached.</summary>
    public static string Prompt(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            throw CliException.Usage(
                "No password source: give --password-env NAME, --token-file FILE or OAuth 2.0 client options.");
        }

        Console.Error.Write(prompt);
        var password = new System.Text.StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }

                continue;
            }

            password.Append(key.KeyChar);
        }

        Console.Error.WriteLine();
        return password.ToString();
    }
}
