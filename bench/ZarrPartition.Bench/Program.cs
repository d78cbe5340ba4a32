using BenchmarkDotNet.Running;

namespace ZarrPartition.Bench;

/// <summary>
/// bench entry point. "write ..." runs the write-throughput scenario that bench/write-throughput.sh
/// compares with zarr-python; "encode ..." the codec-only scenario of bench/encode-throughput.sh; "read ..." the reader scenario of bench/read-netcdf.sh; "plan ..." the template and
/// planning scenario of bench/template-plan.sh; anything else
/// goes to BenchmarkDotNet
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

        if (args.Length > 0 && args[0] == "encode")
        {
            return EncodeScenario.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "read")
        {
            return ReadScenario.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "plan")
        {
            return PlanScenario.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
