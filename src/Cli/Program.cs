using System.CommandLine;
using System.Runtime.InteropServices;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Cli;

/// <summary>The zarrpartition command line: arguments → requests, sink → console. No logic of its own.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            cts.Cancel();
        });

        var root = new RootCommand("zarrpartition: turn collections of NetCDF/HDF5 files and Zarr stores into one Zarr store, in independent partitions.")
        {
            InfoCommand.Create(cts.Token),
            ConvertCommand.Create(cts.Token),
            TemplateCommand.Create(cts.Token),
            PlanCommand.Create(cts.Token),
            WriteCommand.Create(cts.Token),
            StatusCommand.Create(cts.Token),
            FinalizeCommand.Create(cts.Token),
            StatsCommand.Create(cts.Token),
            ReadCommand.Create(cts.Token),
        };
        return root.Parse(args).Invoke();
    }

    /// <summary>Runs a verb's body and turns typed errors into a message and an exit code.</summary>
    internal static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled: stopped between chunks; every chunk written is complete.");
            return 130;
        }
        catch (ZarrPartitionException e)
        {
            Console.Error.WriteLine($"error [{e.ErrorId}]: {e.Message}");
            return e.Kind is ErrorKind.InvalidArgument or ErrorKind.ResourceExists ? 2 : 1;
        }
        catch (AggregateException ae) when (ae.Flatten().InnerExceptions.FirstOrDefault(x => x is ZarrPartitionException or OperationCanceledException) is { } inner)
        {
            return Guard(() => throw inner);
        }
        catch (OutOfMemoryException)
        {
            Console.Error.WriteLine("error [OutOfMemory]: the process ran out of memory. Give it more, or use fewer threads (--threads) or a memory budget (--max-memory); every chunk already written is complete.");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error [{(e is UnauthorizedAccessException ? "AccessDenied" : "IOError")}]: {e.Message} Check the path, its permissions and the free space.");
            return 1;
        }
    }
}
