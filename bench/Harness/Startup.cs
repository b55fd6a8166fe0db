using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using RawMail.Benchmarks.Workloads;

namespace RawMail.Benchmarks.Harness;

/// <summary>
/// Cold and warm latency of the short TLS + XOAUTH2 sessions of <see cref="LatencySessions"/>, step by step. The
/// replay servers run in this process and are warmed first. Each measured client runs in a fresh child process of
/// this program. Its first session is the cold one (JIT, TLS and type loading included), and its later sessions
/// are warm. The table shows medians per step.
/// </summary>
internal static class Startup
{
    private const string ChildSwitch = "--startup-child";

    private static readonly string[] s_protocols = ["tls", "imap", "smtp", "pop3"];

    /// <summary><c>--startup [launches] [warm sessions]</c>: 10 launches, 20 warm sessions each by default.</summary>
    public static int Run(string[] args)
    {
        int launches = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        int warmSessions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        using var servers = new LatencyServers();
        for (int i = 0; i < 3; i++)
        {
            RunSessionAsync("imap", servers.ImapPort, servers.SmtpMessage, null).GetAwaiter().GetResult();
            RunSessionAsync("smtp", servers.SmtpPort, servers.SmtpMessage, null).GetAwaiter().GetResult();
            RunSessionAsync("pop3", servers.Pop3Port, servers.SmtpMessage, null).GetAwaiter().GetResult();
        }

        string authorityFile = Path.Combine(Path.GetTempPath(), $"rawmail-bench-ca-{Environment.ProcessId}.der");
        File.WriteAllBytes(authorityFile, BenchCertificates.Shared.Authority.Export(X509ContentType.Cert));
        try
        {
            var samples = new Dictionary<string, List<double>>();
            var order = new List<string>();
            foreach (string protocol in s_protocols)
            {
                int port = protocol switch
                {
                    "tls" or "imap" => servers.ImapPort,
                    "smtp" => servers.SmtpPort,
                    _ => servers.Pop3Port,
                };
                for (int launch = 0; launch < launches; launch++)
                {
                    foreach (string line in RunChild(authorityFile, protocol, port, warmSessions))
                    {
                        // Each line is "cold|warm <tab> step <tab> milliseconds".
                        string[] fields = line.Split('\t');
                        string key = $"{protocol}\t{fields[1]}\t{fields[0]}";
                        if (!samples.TryGetValue(key, out List<double>? values))
                        {
                            samples[key] = values = [];
                            order.Add(key);
                        }

                        values.Add(double.Parse(fields[2], CultureInfo.InvariantCulture));
                    }
                }
            }

            Print(samples, order, launches, warmSessions);
            return 0;
        }
        finally
        {
            File.Delete(authorityFile);
        }
    }

    /// <summary>The child: <c>--startup-child protocol port warm-sessions</c>, printing one line per step.</summary>
    public static int RunChild(string[] args)
    {
        string protocol = args[0];
        int port = int.Parse(args[1], CultureInfo.InvariantCulture);
        int warmSessions = int.Parse(args[2], CultureInfo.InvariantCulture);
        byte[] message = DotLineWorkload.Generate(1, 19 * 1024)[0];
        var cold = new StepTimes();
        RunSessionAsync(protocol, port, message, cold).GetAwaiter().GetResult();
        Write("cold", cold);
        for (int i = 0; i < warmSessions; i++)
        {
            var warm = new StepTimes();
            RunSessionAsync(protocol, port, message, warm).GetAwaiter().GetResult();
            Write("warm", warm);
        }

        return 0;
    }

    public static bool IsChild(string[] args) => args.Length > 0 && args[0] == ChildSwitch;

    private static async Task RunSessionAsync(string protocol, int port, byte[] message, StepTimes? times)
    {
        switch (protocol)
        {
            case "tls":
                await LatencySessions.TlsAsync(port, times);
                break;
            case "imap":
                await LatencySessions.ImapAsync(port, times);
                break;
            case "smtp":
                await LatencySessions.SmtpAsync(port, message, times);
                break;
            default:
                await LatencySessions.Pop3Async(port, times);
                break;
        }
    }

    private static void Write(string kind, StepTimes times)
    {
        double total = 0;
        foreach ((string step, TimeSpan time) in times.Steps)
        {
            total += time.TotalMilliseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind}\t{step}\t{time.TotalMilliseconds}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind}\tsession\t{total}"));
    }

    private static List<string> RunChild(string authorityFile, string protocol, int port, int warmSessions)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Startup).Assembly.Location);
        }

        foreach (string argument in (string[])[ChildSwitch, protocol, port.ToString(CultureInfo.InvariantCulture),
            warmSessions.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[BenchCertificates.AuthorityFileVariable] = authorityFile;
        using Process child = Process.Start(start) ?? throw new InvalidOperationException($"{self} did not start.");
        var lines = new List<string>();
        string? line;
        while ((line = child.StandardOutput.ReadLine()) is not null)
        {
            lines.Add(line);
        }

        child.WaitForExit();
        return child.ExitCode == 0
            ? lines
            : throw new InvalidOperationException($"The {protocol} child process exited with {child.ExitCode}.");
    }

    private static void Print(Dictionary<string, List<double>> samples, List<string> order, int launches,
        int warmSessions)
    {
        Console.WriteLine($"Cold: median over {launches} fresh processes of their first session. Warm: median of the"
            + $" {warmSessions} later sessions of every process.");
        Console.WriteLine();
        Console.WriteLine("| Protocol | Step | Cold (ms) | Warm (ms) |");
        Console.WriteLine("| --- | --- | ---: | ---: |");
        foreach (string key in order.Where(k => k.EndsWith("\tcold", StringComparison.Ordinal)))
        {
            string[] parts = key.Split('\t');
            double cold = Median(samples[key]);
            double warm = Median(samples[$"{parts[0]}\t{parts[1]}\twarm"]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {parts[0].ToUpperInvariant()} | {parts[1]} | {cold:F2} | {warm:F2} |"));
        }
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
