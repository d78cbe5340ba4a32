using BenchmarkDotNet.Running;

namespace ZarrPartition.Bench;

/// <summary>
/// bench entry point. "write RAW_FILE STORE CODEC ..." runs the write-throughput scenario that
/// bench/write-throughput.sh compares with zarr-python; anything else goes to BenchmarkDotNet
/// (e.g. "--filter *Codec*").
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "write")
        {
            return WriteScenario.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
