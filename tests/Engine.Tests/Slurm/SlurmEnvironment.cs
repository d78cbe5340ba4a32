namespace ZarrPartition.Engine.Tests.Slurm;

/// <summary>
/// Whether tests/slurm/cluster.sh can bring up a single-node SLURM here, and what the environment
/// says to do when it cannot (see <see cref="SlurmPipelineTests"/> for the rules).
/// </summary>
internal static class SlurmEnvironment
{
    /// <summary>"1": SLURM must run; its absence, or a cluster that does not come up, fails the test. CI sets it.</summary>
    public const string RequireVariable = "ZARRPARTITION_REQUIRE_SLURM";

    /// <summary>"1": where SLURM cannot be had at all, skip the test (reported as skipped, with the reason).</summary>
    public const string AllowAbsentVariable = "ZARRPARTITION_ALLOW_NO_SLURM";

    private static readonly string[] SlurmCommands = ["slurmctld", "slurmd", "sbatch", "scontrol", "squeue", "scancel", "sinfo"];

    /// <summary>The directories searched for commands: PATH, plus the sbin folders root's PATH normally has.</summary>
    public static string SearchPath =>
        string.Join(':', (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]).Distinct(StringComparer.Ordinal));

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    public static bool AbsenceAllowed => Environment.GetEnvironmentVariable(AllowAbsentVariable) == "1";

    /// <summary>
    /// Null when cluster.sh can be expected to bring a cluster up (Linux, root, bash, and SLURM installed
    /// or apt-get to install it); otherwise why it cannot. Cheap: no process is started.
    /// </summary>
    public static string? WhyUnavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "not Linux";
        }

        if (EffectiveUserId() is not 0)
        {
            return "not running as root: tests/slurm/cluster.sh needs root to install slurm-wlm and to run slurmctld and slurmd";
        }

        if (!OnPath("bash"))
        {
            return "bash is not on the PATH";
        }

        if (!SlurmCommands.All(OnPath) && !OnPath("apt-get"))
        {
            return "slurm-wlm is not installed and there is no apt-get to install it";
        }

        return null;
    }

    /// <summary>The reason to skip, at discovery: only when SLURM is absent, its absence is allowed and not required.</summary>
    public static string? SkipReason() =>
        Required || !AbsenceAllowed || WhyUnavailable() is not { } why
            ? null
            : $"SKIPPED, DID NOT RUN: SLURM is absent ({why}). {AllowAbsentVariable}=1 allowed this skip; CI sets {RequireVariable}=1, where this is a failure.";

    /// <summary>The failure message when SLURM is absent and no skip was allowed.</summary>
    public static string AbsentMessage(string why) => Required
        ? $"{RequireVariable}=1 but SLURM cannot run here: {why}."
        : $"SLURM cannot run here ({why}), so the SLURM pipeline test cannot run. Run the tests as root on Debian/Ubuntu " +
          $"(tests/slurm/cluster.sh installs slurm-wlm with apt-get), or set {AllowAbsentVariable}=1 to have it reported as skipped " +
          "(xunit 2.9.3 cannot skip from inside a test, so an unannounced absence is a failure).";

    private static bool OnPath(string command) =>
        SearchPath.Split(':').Any(d => File.Exists(Path.Combine(d, command)));

    /// <summary>The effective user id from /proc/self/status ("Uid: real effective saved fs"), or null.</summary>
    private static int? EffectiveUserId()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var fields = line?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: >= 3 } && int.TryParse(fields[2], out int uid) ? uid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
