namespace ZarrPartition.Module.Runtime;

/// <summary>
/// One progress record as the cmdlet writes it (a ProgressRecord without the SMA type): a fixed
/// activity id per activity, a non-empty activity and status, percent 0–100, seconds remaining (-1
/// when unknown), and whether this record completes the activity.
/// </summary>
public sealed record ProgressUpdate(int ActivityId, string Activity, string Status, int PercentComplete, int SecondsRemaining, bool Completed);
