using System.CommandLine;
using System.Globalization;
using ZarrPartition.Engine.Operations;

namespace ZarrPartition.Cli;

internal static class ConvertCommand
{
    public static Command Create(CancellationToken token)
    {
        var source = new Argument<string[]>("SOURCE") { Description = "A Zarr store, or one or more NetCDF/HDF5 files (or Zarr stores) to concatenate.", Arity = ArgumentArity.OneOrMore };
        var store = new Option<string>("--store") { Description = "The destination store folder.", Required = true };
        var format = new Option<int?>("--zarr-format") { Description = "2 or 3 (default: a Zarr source's own format; 2 for files)." };
        var concat = new Option<string?>("--concat-dim") { Description = "The dimension to concatenate files along (default: the unlimited dimension, else time)." };
        var chunks = new Option<string?>("--chunks") { Description = "Chunk sizes by dimension, e.g. time=24,lat=90 (others keep the source's)." };
        var shards = new Option<string?>("--shards") { Description = "Shard sizes by dimension (v3 only), multiples of the chunks." };
        var codec = new Option<string?>("--codec") { Description = "blosc:lz4:5, blosc:zstd:3, zstd:3, gzip:6, zlib:1, lz4 or none (default: a Zarr source's compressor; blosc:lz4:5 for files)." };
        var threads = new Option<int>("--threads") { Description = "Chunks encoded at once (default: all cores)." };
        var maxMemory = new Option<string?>("--max-memory") { Description = "Memory budget for chunk buffers, e.g. 2GB (default 1GB)." };
        var force = new Option<bool>("--force") { Description = "Replace an existing destination, if it is a Zarr store." };
        var whatIf = new Option<bool>("--what-if") { Description = "Say what would be done and do nothing." };
        var json = new Option<bool>("--json") { Description = "Progress as JSON lines on stderr, the result as JSON on stdout." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Say what is being done." };
        var cmd = new Command("convert", "Convert NetCDF/HDF5 files (concatenated along a dimension) or a Zarr store into one Zarr store: rechunked, recompressed, v2 or v3, sharded; attributes, dimension names and CF encodings kept.")
        {
            source, store, format, concat, chunks, shards, codec, threads, maxMemory, force, whatIf, json, verbose,
        };
        cmd.SetAction(r => Program.Guard(() =>
        {
            var sink = new ConsoleSink(token, r.GetValue(verbose), r.GetValue(json), r.GetValue(whatIf));
            var sources = r.GetValue(source)!;
            var chunkMap = DimensionMap.Parse(r.GetValue(chunks), "--chunks");
            var shardMap = DimensionMap.Parse(r.GetValue(shards), "--shards");
            long memory = ByteSize.Parse(r.GetValue(maxMemory), ConvertToZarr.DefaultMaxMemoryBytes, "--max-memory");
            var result = ConvertToZarr.Run(new ConvertToZarr.Request(sources, r.GetValue(store)!, r.GetValue(format), r.GetValue(concat), chunkMap, shardMap, r.GetValue(codec),
                r.GetValue(threads), memory, r.GetValue(force)), sink);

            if (r.GetValue(json))
            {
                Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(result));
            }
            else if (result.Performed)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Wrote {result.Destination}: Zarr v{result.ZarrFormat}, {result.Arrays} arrays, {result.Chunks} chunks, {result.BytesRead / 1048576.0:0.0} MiB in, {result.BytesWritten / 1048576.0:0.0} MiB stored, {result.Seconds:0.00} s ({result.BytesRead / 1048576.0 / Math.Max(result.Seconds, 1e-9):0} MiB/s)."));
            }

            return 0;
        }));
        return cmd;
    }
}
