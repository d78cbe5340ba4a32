using ZarrPartition.Engine.Operations;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Tests.Runtime;

public sealed class ProgressThrottleTests
{
    private TimeSpan _now;

    private ProgressThrottle Throttle() => new(TimeSpan.FromMilliseconds(200), () => _now);

    private static ProgressInfo Report(long done, long total = 100, bool finished = false, string activity = "Writing") =>
        new(activity, "", done, total, done * 1048576, TimeSpan.FromSeconds(done), finished);

    [Fact]
    public void The_first_report_passes_then_one_per_interval()
    {
        var t = Throttle();
        Assert.NotNull(t.Next(Report(1)));
        _now += TimeSpan.FromMilliseconds(100);
        Assert.Null(t.Next(Report(2)));
        _now += TimeSpan.FromMilliseconds(100);
        var third = t.Next(Report(3));
        Assert.NotNull(third);
        Assert.Equal(3, third!.PercentComplete);
        Assert.Equal(ProgressThrottle.FirstActivityId, third.ActivityId);
    }

    [Fact]
    public void A_finishing_report_always_passes_and_completes_the_activity_once()
    {
        var t = Throttle();
        t.Next(Report(1));
        var done = t.Next(Report(100, finished: true));
        Assert.True(done!.Completed);
        Assert.Equal(100, done.PercentComplete);
        Assert.Equal(-1, done.SecondsRemaining);
        _now += TimeSpan.FromSeconds(1);
        Assert.Null(t.Next(Report(100)));
        Assert.Empty(t.CompleteAll());
    }

    [Fact]
    public void CompleteAll_completes_only_activities_that_were_shown_and_are_still_open()
    {
        var t = Throttle();
        t.Next(Report(1, activity: "A"));
        t.Next(Report(1, activity: "B"));
        t.Next(Report(1, finished: true, activity: "B"));
        var open = t.CompleteAll();
        var a = Assert.Single(open);
        Assert.Equal("A", a.Activity);
        Assert.True(a.Completed);
        Assert.Empty(t.CompleteAll());
    }

    [Fact]
    public void Status_text_is_never_empty_and_percent_and_remaining_are_clamped()
    {
        var t = Throttle();
        var odd = t.Next(new ProgressInfo("", "", 150, 100, 0, TimeSpan.Zero))!;
        Assert.Equal("ZarrPartition", odd.Activity);
        Assert.Equal(100, odd.PercentComplete);
        Assert.False(string.IsNullOrWhiteSpace(odd.Status));
        var first = Throttle().Next(new ProgressInfo("W", "", 10, 100, 10 << 20, TimeSpan.FromSeconds(10)))!;
        Assert.Equal(90, first.SecondsRemaining);
        Assert.Equal("10 of 100, 10.0 MiB, 1.0 MiB/s", first.Status);
    }
}
