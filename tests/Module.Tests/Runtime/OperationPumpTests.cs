using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Tests.Runtime;

/// <summary>
/// The threading contract between the engine and a cmdlet: the operation runs on a worker, the host is
/// only ever called on the pipeline thread, ShouldProcess is a blocking handshake, progress is throttled
/// and completed, failures and cancellation come back on the pipeline thread.
/// </summary>
public sealed class OperationPumpTests
{
    [Fact]
    public void Messages_from_worker_threads_reach_the_host_in_order_on_the_pipeline_thread()
    {
        var host = new FakeHost();
        int operationThread = 0;
        var result = OperationPump.Run(sink =>
        {
            operationThread = Environment.CurrentManagedThreadId;
            sink.Verbose("one");
            sink.Warning("two");
            Parallel.For(0, 50, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => sink.Verbose($"chunk {i}"));
            sink.Verbose("three");
            return 42;
        }, host, CancellationToken.None);

        Assert.Equal(42, result.Value);
        Assert.False(result.Declined);
        Assert.NotEqual(host.PipelineThread, operationThread);
        Assert.All(host.Threads, t => Assert.Equal(host.PipelineThread, t));
        Assert.Equal("verbose: one", host.Events[0]);
        Assert.Equal("warning: two", host.Events[1]);
        Assert.Equal("verbose: three", host.Events[^1]);
        Assert.Equal(50, host.Events.Count(e => e.StartsWith("verbose: chunk", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ShouldProcess_is_asked_on_the_pipeline_thread_and_its_answer_reaches_the_operation(bool answer)
    {
        var host = new FakeHost(answer);
        var result = OperationPump.Run(sink =>
        {
            sink.Verbose("before");
            return sink.ShouldProcess("/data/t2m.zarr", "Write partition 1 of 4");
        }, host, CancellationToken.None);

        Assert.Equal(answer, result.Value);
        Assert.Equal(!answer, result.Declined);
        Assert.Equal(["verbose: before", "should: Write partition 1 of 4 | /data/t2m.zarr"], host.Events);
        Assert.Equal(["Write partition 1 of 4 | /data/t2m.zarr"], result.Asked);
        Assert.All(host.Threads, t => Assert.Equal(host.PipelineThread, t));
    }

    [Fact]
    public void Questions_from_many_threads_are_each_answered()
    {
        var host = new FakeHost(true);
        var result = OperationPump.Run(sink =>
        {
            int yes = 0;
            Parallel.For(0, 20, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            {
                if (sink.ShouldProcess($"target {i}", "act"))
                {
                    Interlocked.Increment(ref yes);
                }
            });
            return yes;
        }, host, CancellationToken.None);

        Assert.Equal(20, result.Value);
        Assert.Equal(20, host.Events.Count(e => e.StartsWith("should:", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_operation_that_never_asks_is_not_declined()
    {
        var result = OperationPump.Run(_ => "done", new FakeHost(answer: false), CancellationToken.None);
        Assert.False(result.Declined);
        Assert.Empty(result.Asked);
    }

    [Fact]
    public void Asking_on_the_pipeline_thread_fails_instead_of_deadlocking()
    {
        // a sink handed to code that runs inline on the pipeline thread would wait for itself
        var host = new FakeHost();
        IOperationSink? captured = null;
        OperationPump.Run(sink =>
        {
            captured = sink;
            return 0;
        }, host, CancellationToken.None);
        var e = Assert.Throws<InvalidOperationException>(() => captured!.ShouldProcess("t", "a"));
        Assert.Contains("pipeline thread", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_error_comes_back_on_the_pipeline_thread_unwrapped_after_the_messages_before_it()
    {
        var host = new FakeHost();
        var e = Assert.Throws<ZarrPartitionException>(() => OperationPump.Run<int>(sink =>
        {
            sink.Warning("about to fail");
            Parallel.For(0, 4, i =>
            {
                if (i == 2)
                {
                    throw new ZarrPartitionException("WriteFailed", ErrorKind.WriteError, "/s", "disk full");
                }
            });
            return 0;
        }, host, CancellationToken.None));

        Assert.Equal("WriteFailed", e.ErrorId);
        Assert.Equal(["warning: about to fail"], host.Events);
    }

    [Fact]
    public void Cancellation_reaches_the_operation_through_its_sink()
    {
        using var stop = new CancellationTokenSource();
        var host = new FakeHost { OnEvent = e => stop.Cancel() }; // StopProcessing, as Ctrl+C would call it
        Assert.ThrowsAny<OperationCanceledException>(() => OperationPump.Run(sink =>
        {
            sink.Verbose("started");
            sink.Cancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
            sink.Cancellation.ThrowIfCancellationRequested();
            return 0;
        }, host, stop.Token));
    }

    [Fact]
    public void Cancellation_while_a_question_waits_ends_the_operation()
    {
        using var stop = new CancellationTokenSource();
        var host = new FakeHost();
        host.OnEvent = e =>
        {
            if (e.StartsWith("verbose", StringComparison.Ordinal))
            {
                stop.Cancel();
            }
        };
        Assert.ThrowsAny<OperationCanceledException>(() => OperationPump.Run(sink =>
        {
            sink.Verbose("cancel now");
            Thread.Sleep(50);
            return sink.ShouldProcess("t", "a");
        }, host, stop.Token));
    }

    [Fact]
    public void A_host_that_fails_stops_the_operation_which_is_waited_for_before_the_failure_is_rethrown()
    {
        var host = new FakeHost();
        host.OnEvent = e =>
        {
            if (e == "verbose: stop here")
            {
                throw new InvalidOperationException("pipeline stopped");
            }
        };
        bool workerFinished = false;
        bool? answer = null;
        var e = Assert.Throws<InvalidOperationException>(() => OperationPump.Run(sink =>
        {
            try
            {
                sink.Verbose("stop here");
                sink.Cancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
                answer = sink.ShouldProcess("t", "a");
                return 0;
            }
            finally
            {
                workerFinished = true;
            }
        }, host, CancellationToken.None));

        Assert.Equal("pipeline stopped", e.Message);
        Assert.True(workerFinished);
        Assert.NotEqual(true, answer); // told no, or cancelled before it could ask
        Assert.DoesNotContain(host.Events, x => x.StartsWith("should", StringComparison.Ordinal));
    }

    [Fact]
    public void Progress_is_throttled_and_every_activity_shown_is_completed()
    {
        var host = new FakeHost();
        OperationPump.Run(sink =>
        {
            for (int i = 1; i <= 2000; i++)
            {
                sink.Progress(new ProgressInfo("Writing", "", i, 2000, i * 1024L, TimeSpan.FromMilliseconds(i)));
            }

            sink.Progress(new ProgressInfo("Reading", "", 1, 10, 0, TimeSpan.FromSeconds(1)));
            return 0;
        }, host, CancellationToken.None);

        var writing = host.Progress.Where(p => p.Activity == "Writing").ToList();
        Assert.InRange(writing.Count, 2, 100); // first + whatever the 200 ms interval let through + completion
        Assert.True(writing[^1].Completed);
        var reading = host.Progress.Where(p => p.Activity == "Reading").ToList();
        Assert.True(reading[^1].Completed);
        Assert.NotEqual(writing[0].ActivityId, reading[0].ActivityId);
        Assert.All(host.Progress, p =>
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Status));
            Assert.InRange(p.PercentComplete, 0, 100);
        });
    }

    [Fact]
    public void Progress_is_completed_even_when_the_operation_fails()
    {
        var host = new FakeHost();
        Assert.Throws<ZarrPartitionException>(() => OperationPump.Run<int>(sink =>
        {
            sink.Progress(new ProgressInfo("Writing", "", 1, 10, 0, TimeSpan.FromSeconds(1)));
            throw new ZarrPartitionException("WriteFailed", ErrorKind.WriteError, "/s", "disk full");
        }, host, CancellationToken.None));
        Assert.True(host.Progress[^1].Completed);
    }
}
