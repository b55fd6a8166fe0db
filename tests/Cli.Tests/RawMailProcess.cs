using System.Diagnostics;

namespace RawMail.Cli.Tests;

/// <summary>The result of one run of the rawmail tool.</summary>
public sealed record RunResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string AllOutput => StandardOutput + StandardError;
}

/// <summary>Runs the built rawmail.dll as a child process, the way a user or a script runs it.</summary>
public static class RawMailProcess
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(2);

    /// <summary>bin/&lt;configuration&gt;/net10.0/rawmail.dll of src/Cli, for the configuration these tests were built in.</summary>
    public static string ToolPath { get; } = FindTool();

    public static async Task<RunResult> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        using Process process = Start(arguments, environment);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await WaitAsync(process, arguments);
        return new RunResult(process.ExitCode, await output, await error);
    }

    /// <summary>Starts rawmail with standard input closed and both outputs redirected, for a test that reads them as they come.</summary>
    public static Process Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ToolPath);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Waits for the process to end, killing it after two minutes.</summary>
    public static async Task WaitAsync(Process process, IEnumerable<string> arguments)
    {
        using var limit = new CancellationTokenSource(s_limit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rawmail {string.Join(' ', arguments)} did not end within {s_limit}.");
        }
    }

    private static string FindTool()
    {
        string baseDirectory = AppContext.BaseDirectory;
        string configuration = baseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        DirectoryInfo? directory = new(baseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RawMail.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException($"RawMail.sln not found above {baseDirectory}.");
        }

        string path = Path.Combine(directory.FullName, "src", "Cli", "bin", configuration, "net10.0", "rawmail.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("rawmail.dll is not built", path);
    }
}
