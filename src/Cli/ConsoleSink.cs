using ZarrPartition.Engine.Operations;

namespace ZarrPartition.Cli;

/// <summary>
/// The CLI's sink: a self-overwriting progress line on a terminal (stderr), JSON progress lines
/// with --json, verbose messages with --verbose, warnings always (stderr). Never asks: the CLI
/// has no -WhatIf prompt, so ShouldProcess says yes unless --what-if was given.
/// </summary>
internal sealed class ConsoleSink : IOperationSink
{
    private readonly object _gate = new();
    private readonly bool _verbose;
    private readonly bool _jsonProgress;
    private readonly bool _whatIf;
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private bool _lineOpen;

    public ConsoleSink(CancellationToken cancellation, bool verbose, bool jsonProgress, bool whatIf = false)
    {
        Cancellation = cancellation;
        _verbose = verbose;
        _jsonProgress = jsonProgress;
        _whatIf = whatIf;
    }

    public CancellationToken Cancellation { get; }

    public void Progress(ProgressInfo p)
    {
        lock (_gate)
        {
            if (_jsonProgress)
            {
                Console.Error.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    type = "progress",
                    activity = p.Activity,
                    completed = p.Completed,
                    total = p.Total,
                    bytes = p.Bytes,
                    bytesPerSecond = Math.Round(p.BytesPerSecond),
                    etaSeconds = p.Remaining?.TotalSeconds,
                    finished = p.Finished,
                }));
                return;
            }

            if (!_terminal)
            {
                return;
            }

            var eta = p.Remaining is { } r ? $", ETA {r:hh\\:mm\\:ss}" : string.Empty;
            var line = $"{p.Completed}/{p.Total} chunks ({p.Percent:0.0}%), {p.Bytes / 1048576.0:0.0} MiB, {p.BytesPerSecond / 1048576.0:0.0} MiB/s{eta}";
            Console.Error.Write("\r" + line.PadRight(78));
            _lineOpen = !p.Finished;
            if (p.Finished)
            {
                Console.Error.WriteLine();
            }
        }
    }

    public void Verbose(string message)
    {
        if (_verbose)
        {
            Write("verbose: " + message);
        }
    }

    public void Warning(string message) => Write("warning: " + message);

    public bool ShouldProcess(string target, string action)
    {
        if (_whatIf)
        {
            Write($"What if: {action} ({target})");
            return false;
        }

        return true;
    }

    private void Write(string text)
    {
        lock (_gate)
        {
            if (_lineOpen)
            {
                Console.Error.WriteLine();
                _lineOpen = false;
            }

            Console.Error.WriteLine(text);
        }
    }
}
