using BenchmarkDotNet.Running;
using RawMail.Benchmarks.Harness;

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

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
