namespace ZarrPartition.Engine.Tests.Slurm;

/// <summary>
/// A fact that needs a real SLURM. xunit 2.9.3 can only skip at discovery (a Fact's Skip), so this
/// attribute decides there: it skips only when SLURM cannot be had here, ZARRPARTITION_ALLOW_NO_SLURM=1
/// and ZARRPARTITION_REQUIRE_SLURM is not 1. In every other case the test runs, and fails when SLURM is
/// absent or does not come up.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (SlurmEnvironment.SkipReason() is { } reason)
        {
            Skip = reason;
        }
    }
}
