using System.Globalization;
using ZarrPartition.Engine.Operations;

namespace ZarrPartition.Module.Runtime;

/// <summary>
/// Turns the engine's progress reports into progress records, at most one per activity every
/// <see cref="Interval"/> (the first and every finishing report always pass), and completes every
/// activity it started. Used on the pipeline thread only; not thread-safe.
/// </summary>
public sealed class ProgressThrottle
{
    /// <summary>The first activity's id; further activities of one cmdlet call count up from it.</summary>
    public const int FirstActivityId = 0x5A50;

    private readonly Func<TimeSpan> _clock;
    private readonly Dictionary<string, Activity> _activities = new(StringComparer.Ordinal);

    public ProgressThrottle(TimeSpan interval, Func<TimeSpan> clock)
    {
        Interval = interval;
        _clock = clock;
    }

    public TimeSpan Interval { get; }

    /// <summary>The record to write for <paramref name="info"/>, or null when it is throttled away.</summary>
    public ProgressUpdate? Next(ProgressInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var name = string.IsNullOrWhiteSpace(info.Activity) ? "ZarrPartition" : info.Activity;
        if (!_activities.TryGetValue(name, out var activity))
        {
            activity = new Activity(FirstActivityId + _activities.Count);
            _activities[name] = activity;
        }

        var now = _clock();
        if (activity.Completed)
        {
            return null;
        }

        if (!info.Finished && activity.Written && now - activity.LastWritten < Interval)
        {
            return null;
        }

        activity.Written = true;
        activity.LastWritten = now;
        activity.Completed = info.Finished;
        return new ProgressUpdate(activity.Id, name, Status(info), (int)Math.Clamp(Math.Floor(info.Percent), 0, 100),
            info.Remaining is { } r ? (int)Math.Clamp(Math.Ceiling(r.TotalSeconds), 0, int.MaxValue) : -1, info.Finished);
    }

    /// <summary>Completed records for every activity that was shown and not yet completed (at the end of a call, or when it failed).</summary>
    public IReadOnlyList<ProgressUpdate> CompleteAll()
    {
        var done = new List<ProgressUpdate>();
        foreach (var (name, activity) in _activities.OrderBy(a => a.Value.Id))
        {
            if (activity.Written && !activity.Completed)
            {
                activity.Completed = true;
                done.Add(new ProgressUpdate(activity.Id, name, "done", 100, -1, Completed: true));
            }
        }

        return done;
    }

    /// <summary>"12 of 48 chunks, 96.0 MiB, 41.3 MiB/s" (never empty: a ProgressRecord refuses an empty status).</summary>
    public static string Status(ProgressInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.Finished)
        {
            return string.Create(CultureInfo.InvariantCulture, $"done: {info.Completed} of {info.Total}, {info.Bytes / 1048576.0:0.0} MiB in {info.Elapsed.TotalSeconds:0.0} s");
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"{info.Completed} of {info.Total}");
        if (info.Bytes > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {info.Bytes / 1048576.0:0.0} MiB, {info.BytesPerSecond / 1048576.0:0.0} MiB/s");
        }

        return text;
    }

    private sealed class Activity(int id)
    {
        public int Id { get; } = id;

        public bool Written { get; set; }

        public bool Completed { get; set; }

        public TimeSpan LastWritten { get; set; }
    }
}
