using ZarrPartition.Engine.Planning;

namespace ZarrPartition.Module.Invocations;

/// <summary>
/// Where Get-ZarrPartitionPlan keeps a plan and how it writes it. Without -OutFile the plan goes next
/// to the store, because that is the one place every worker of a fan-out (runspaces, jobs, SLURM tasks
/// on other nodes) can also see: <c>STORE.plan.json</c>, or <c>STORE.incomplete.plan.json</c> for
/// -Incomplete so that a re-plan does not replace the plan the first writers ran from. The plan is
/// written with <see cref="PartitionPlan.Save"/>.
/// </summary>
public static class PlanFile
{
    public static string DefaultPath(string store, bool incomplete)
    {
        ArgumentException.ThrowIfNullOrEmpty(store);
        var trimmed = Path.TrimEndingDirectorySeparator(store);
        return trimmed + (incomplete ? ".incomplete.plan.json" : ".plan.json");
    }
}
