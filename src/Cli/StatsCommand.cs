using System.CommandLine;
using System.Globalization;
using System.Text;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Cli;

internal static class StatsCommand
{
    public static Command Create(CancellationToken token)
    {
        var store = new Option<string>("--store") { Description = "The Zarr store to measure.", Required = true };
        var variables = new Option<string?>("--variables") { Description = "Only these arrays (comma-separated; default: every data variable)." };
        var threads = new Option<int>("--threads") { Description = "Chunks decoded at once (default: all cores)." };
        var maxMemory = new Option<string?>("--max-memory") { Description = "Memory for chunk buffers, e.g. 2GB (default 1GB); limits the threads when chunks are large." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Say what is being done." };
        var cmd = new Command("stats", "Count, missing values, min, max, mean and standard deviation of a store's data variables, as xarray decodes them (masked by _FillValue/missing_value, unpacked by scale_factor/add_offset).")
        {
            store, variables, threads, maxMemory, json, verbose,
        };
        cmd.SetAction(r => Program.Guard(() =>
        {
            var sink = new ConsoleSink(token, r.GetValue(verbose), jsonProgress: false);
            var request = new MeasureArray.Request(
                r.GetValue(store)!,
                TemplateCommand.Names(r.GetValue(variables)),
                r.GetValue(threads),
                ByteSize.Parse(r.GetValue(maxMemory), 0, "--max-memory"));
            var result = MeasureArray.Run(request, sink);
            Console.Out.Write(r.GetValue(json) ? JsonText.ToText(result.ToJson()) + Environment.NewLine : Format(result));
            return 0;
        }));
        return cmd;
    }

    internal static string Format(StoreStatistics result)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Statistics of {result.Store}");
        foreach (var v in result.Variables)
        {
            sb.AppendLine();
            var dims = v.Dimensions.Length == 0 ? "" : $" ({string.Join(", ", v.Dimensions)})";
            var units = v.Units is null ? "" : $", units {v.Units}";
            sb.AppendLine($"{v.Name}{dims}: {v.DataType} [{string.Join(", ", v.Shape)}]{units}");
            long total = v.Count + v.Missing;
            var pct = total == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" ({100.0 * v.Missing / total:0.##}%)");
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  count    {v.Count}"));
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  missing  {v.Missing}{pct}"));
            sb.AppendLine($"  min      {Number(v.Min)}");
            sb.AppendLine($"  max      {Number(v.Max)}");
            sb.AppendLine($"  mean     {Number(v.Mean)}");
            sb.AppendLine($"  std      {Number(v.Std)}");
        }

        return sb.ToString();
    }

    private static string Number(double value) => value.ToString("G10", CultureInfo.InvariantCulture);
}
