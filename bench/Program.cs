using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using RawMail.Benchmarks.Harness;
using RawMail.Benchmarks.Workloads;

namespace RawMail.Benchmarks;

internal static class Program
{
    /// <returns>0, or 1 when a benchmark failed (or, with --quick, none ran), so a CI smoke run fails visibly.</returns>
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--measure")
        {
            Measure.Run(args[1..]);
            return 0;
        }

        if (args.Length > 0 && args[0] == "--startup")
        {
            return Startup.Run(args[1..]);
        }

        if (Startup.IsChild(args))
        {
            return Startup.RunChild(args[1..]);
        }

        if (args.Length > 0 && args[0] == "--measure-w5")
        {
            W5MimeMeasure.Run(args[1..]);
            return 0;
        }

        bool quick = Array.IndexOf(args, "--quick") >= 0;
        bool filtered = Array.IndexOf(args, "--filter") >= 0;
        if (quick)
        {
            args = QuickArguments(args);
        }

        // The generated benchmark project builds slowly on a shared two-core machine, past the 2-minute default.
        IConfig config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15));
        Summary[] summaries = [.. BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config)];
        bool failed = (quick && summaries.Length == 0)
            || summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Length == 0 || s.Reports.Any(r => !r.Success));
        if (quick && !filtered)
        {
            // One fresh process per protocol with one warm session: proves the cold-start harness still works.
            failed |= Startup.Run(["1", "1"]) != 0;
        }

        return failed ? 1 : 0;
    }

    /// <summary>
    /// Turns <c>--quick</c> into small workloads, one in-process iteration per benchmark (the Dry job, no separate
    /// build) and every benchmark unless a filter was given: a smoke run that proves the suite still works.
    /// </summary>
    private static string[] QuickArguments(string[] args)
    {
        Environment.SetEnvironmentVariable(WorkloadSize.QuickVariable, "1");
        var quick = new List<string>(args.Where(a => a != "--quick")) { "--job", "Dry", "--inProcess" };
        if (!quick.Contains("--filter"))
        {
            quick.AddRange(["--filter", "*"]);
        }

        return [.. quick];
    }
}
