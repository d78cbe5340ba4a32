namespace ZarrPartition.Engine.Operations;

/// <summary>A progress report: what is being done, how many units of how many, and the bytes so far.</summary>
public sealed record ProgressInfo(string Activity, string Status, long Completed, long Total, long Bytes, TimeSpan Elapsed, bool Finished = false)
{
    public double Percent => Total <= 0 ? 100 : Math.Min(100, 100.0 * Completed / Total);

    public double BytesPerSecond => Elapsed.TotalSeconds <= 0 ? 0 : Bytes / Elapsed.TotalSeconds;

    public TimeSpan? Remaining => Completed <= 0 || Total <= 0 || Finished ? null : TimeSpan.FromSeconds(Elapsed.TotalSeconds * (Total - Completed) / Completed);
}
