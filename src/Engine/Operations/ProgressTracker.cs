using System.Diagnostics;

namespace ZarrPartition.Engine.Operations;

/// <summary>Counts finished units from many threads and reports to the sink at most every <see cref="Interval"/>.</summary>
public sealed class ProgressTracker
{
    private readonly IOperationSink _sink;
    private readonly string _activity;
    private readonly long _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _completed;
    private long _bytes;
    private long _lastReportTicks = long.MinValue;

    public ProgressTracker(IOperationSink sink, string activity, long total)
    {
        _sink = sink;
        _activity = activity;
        _total = total;
    }

    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(250);

    public long Completed => Interlocked.Read(ref _completed);

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Add(long units, long bytes)
    {
        long done = Interlocked.Add(ref _completed, units);
        Interlocked.Add(ref _bytes, bytes);
        long now = _clock.Elapsed.Ticks;
        long last = Interlocked.Read(ref _lastReportTicks);
        if (now - last >= Interval.Ticks && Interlocked.CompareExchange(ref _lastReportTicks, now, last) == last)
        {
            _sink.Progress(new ProgressInfo(_activity, $"{done} of {_total}", done, _total, Bytes, _clock.Elapsed));
        }
    }

    public void Finish() => _sink.Progress(new ProgressInfo(_activity, "done", Completed, _total, Bytes, _clock.Elapsed, Finished: true));
}
