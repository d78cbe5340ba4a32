using System.CommandLine;
using System.Globalization;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Operations;

namespace ZarrPartition.Cli;

internal static class TemplateCommand
{
    public static Command Create(CancellationToken token)
    {
        var source = new Argument<string[]>("SOURCE") { Description = "NetCDF/HDF5 files joined along time, a Zarr store, or a JSON dataset spec.", Arity = ArgumentArity.OneOrMore };
        var store = new Option<string>("--store") { Description = "The store folder to create (or extend with --append).", Required = true };
        var format = new Option<int>("--zarr-format") { Description = "2 (default) or 3.", DefaultValueFactory = _ => 2 };
        var chunks = new Option<string?>("--chunks") { Description = "Chunk sizes by dimension, e.g. time=24,lat=90; the others are computed." };
        var shards = new Option<string?>("--shards") { Description = "Shard sizes by dimension (v3 only), multiples of the chunks." };
        var codec = new Option<string?>("--codec") { Description = "blosc:lz4:5 (default), blosc:zstd:3, zstd:3, gzip:6, zlib:1, lz4 or none." };
        var timeDim = new Option<string?>("--time-dim") { Description = "The time dimension (default: the unlimited dimension, else time)." };
        var start = new Option<string?>("--start") { Description = "First time of the axis, e.g. 2000-01-01 (with --end): the axis is a range instead of the sources' union." };
        var end = new Option<string?>("--end") { Description = "Last time of the axis (included when on the grid)." };
        var frequency = new Option<string?>("--frequency") { Description = "Step of the range: 1h, 6h, 1D, MS, PT1H, P1M … (default: the sources' step)." };
        var pattern = new Option<string?>("--access-pattern") { Description = "temporal, spatial or balanced (default): the shape of computed chunks." };
        var target = new Option<double>("--target-chunk-mb") { Description = "Target size of a computed chunk, in MiB (default 50).", DefaultValueFactory = _ => 50 };
        var pack = new Option<string?>("--pack") { Description = "Pack float variables into integers: var=bits[:min:max],... (bits 8, 16 or 32; range from min:max, else valid_min/valid_max, else the data)." };
        var variables = new Option<string?>("--variables") { Description = "Only these variables (comma-separated), with the coordinates they need." };
        var drop = new Option<string?>("--drop-variables") { Description = "Leave these variables out (comma-separated)." };
        var force = new Option<bool>("--force") { Description = "Replace an existing store (only a Zarr store, never another folder)." };
        var append = new Option<bool>("--append") { Description = "Extend an existing store's time axis with the sources' new times." };
        var whatIf = new Option<bool>("--what-if") { Description = "Say what would be done and do nothing." };
        var json = new Option<bool>("--json") { Description = "The result as JSON on stdout." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Say what is being decided." };
        var cmd = new Command("template", "Write a store's metadata and coordinates once (no data chunks), ready for partitions to fill.")
        {
            source, store, format, chunks, shards, codec, timeDim, start, end, frequency, pattern, target, pack, variables, drop, force, append, whatIf, json, verbose,
        };
        cmd.SetAction(r => Program.Guard(() =>
        {
            var sink = new ConsoleSink(token, r.GetValue(verbose), r.GetValue(json), r.GetValue(whatIf));
            var request = new CreateTemplate.Request(
                r.GetValue(source)!,
                r.GetValue(store)!,
                r.GetValue(format),
                DimensionMap.Parse(r.GetValue(chunks), "--chunks"),
                DimensionMap.Parse(r.GetValue(shards), "--shards"),
                r.GetValue(codec),
                r.GetValue(timeDim),
                r.GetValue(start),
                r.GetValue(end),
                r.GetValue(frequency),
                r.GetValue(pattern),
                r.GetValue(target),
                Names(r.GetValue(variables)),
                Names(r.GetValue(drop)),
                r.GetValue(force),
                r.GetValue(append),
                Pack: r.GetValue(pack) is { } p ? PackSpec.ParseList(p) : null);
            var result = CreateTemplate.Run(request, sink);
            if (r.GetValue(json))
            {
                Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(result));
            }
            else if (result.Performed)
            {
                Console.Out.WriteLine(result.Appended
                    ? string.Create(CultureInfo.InvariantCulture, $"Extended {result.Destination}: {result.TimeSteps} time steps, {result.Seconds:0.00} s.")
                    : string.Create(CultureInfo.InvariantCulture, $"Wrote template {result.Destination}: Zarr v{result.ZarrFormat}, {result.DataVariables} data variables, {result.Coordinates} coordinates, {result.TimeSteps} time steps, {result.DataChunks} chunks to write; chunks {string.Join(",", result.Chunks.Select(k => $"{k.Key}={k.Value}"))}; {result.Seconds:0.00} s."));
            }

            return 0;
        }));
        return cmd;
    }

    internal static IReadOnlyList<string>? Names(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
