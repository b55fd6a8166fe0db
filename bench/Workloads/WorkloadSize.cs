namespace RawMail.Benchmarks.Workloads;

/// <summary>
/// Message counts of the workloads. The <c>--quick</c> switch sets <see cref="QuickVariable"/>, which shrinks them so
/// a smoke run only checks that every benchmark still builds and runs.
/// </summary>
internal static class WorkloadSize
{
    public const string QuickVariable = "RAWMAIL_BENCH_QUICK";

    public static bool IsQuick => Environment.GetEnvironmentVariable(QuickVariable) == "1";

    /// <summary>FETCH responses in W1: 50,000, or 500 in quick mode.</summary>
    public static int FetchMessages => IsQuick ? 500 : 50_000;

    /// <summary>Messages in W5: 10,000, or 50 in quick mode.</summary>
    public static int MimeMessages => IsQuick ? 50 : 10_000;
}
