using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using RawMail.Benchmarks.Harness;
using RawMail.Benchmarks.Workloads;

namespace RawMail.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--measure")
        {
            Measure.Run(args[1..]);
            return;
        }

        if (Array.IndexOf(args, "--quick") >= 0)
        {
            args = QuickArguments(args);
        }

        // The generated benchmark project builds slowly on a shared two-core machine, past the 2-minute default.
        IConfig config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
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
