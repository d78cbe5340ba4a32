using System.CommandLine;
using System.Globalization;
using System.Text;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Cli;

internal static class ReadCommand
{
    public static Command Create(CancellationToken token)
    {
        var store = new Option<string>("--store") { Description = "The Zarr store to read from.", Required = true };
        var variable = new Argument<string>("VARIABLE") { Description = "The array to read (its path in the store)." };
        var region = new Option<string?>("--region") { Description = $"Index ranges: {DimensionRange.AcceptedForm}. Dimensions not named are read whole. Default: the whole array, up to {ReadArray.DefaultMaxValues.ToString("N0", CultureInfo.InvariantCulture)} values." };
        var json = new Option<bool>("--json") { Description = "Print JSON: variable, dims, shape, region, coords and nested values (null where missing)." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV: one row per value, a column per dimension's coordinate, then the value (empty where missing)." };
        var threads = new Option<int>("--threads") { Description = "Chunks decoded at once (default: all cores)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Say what is being done." };
        var cmd = new Command("read", "Print a region of one array as xarray decodes it (masked, unpacked), with its coordinates (CF times as dates).")
        {
            store, variable, region, json, csv, threads, verbose,
        };
        cmd.SetAction(r => Program.Guard(() =>
        {
            if (r.GetValue(json) && r.GetValue(csv))
            {
                throw new ZarrPartitionException("ConflictingFormats", ErrorKind.InvalidArgument, "--csv", "Give --json or --csv, not both.");
            }

            var sink = new ConsoleSink(token, r.GetValue(verbose), jsonProgress: false);
            var request = new ReadArray.Request(
                r.GetValue(store)!,
                r.GetValue(variable)!,
                r.GetValue(region) is { } text ? DimensionRange.ParseList(text) : null,
                r.GetValue(threads));
            var values = ReadArray.Run(request, sink);
            Console.Out.Write(
                r.GetValue(json) ? JsonText.ToText(values.ToJson()) + Environment.NewLine
                : r.GetValue(csv) ? Csv(values)
                : Format(values));
            return 0;
        }));
        return cmd;
    }

    /// <summary>One row per value: the coordinate of each dimension (its index where there is no coordinate array), then the value.</summary>
    internal static string Csv(ArrayValues a)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", a.Dimensions.Append(Path.GetFileName(a.Variable)).Select(Quote)));
        var labels = a.Coordinates.Select(c => Labels(c)).ToArray();
        var index = new long[a.Shape.Length];
        for (int i = 0; i < a.Values.Length; i++)
        {
            for (int d = 0; d < index.Length; d++)
            {
                sb.Append(Quote(labels[d][index[d]])).Append(',');
            }

            sb.AppendLine(double.IsNaN(a.Values[i]) ? "" : Number(a.Values[i], a.DataType));
            for (int d = index.Length - 1; d >= 0 && ++index[d] == a.Shape[d]; d--)
            {
                index[d] = 0;
            }
        }

        return sb.ToString();
    }

    /// <summary>Text for people: 0-D and 1-D as lines, 2-D as a table, higher ranks as one table per leading index.</summary>
    internal static string Format(ArrayValues a)
    {
        var sb = new StringBuilder();
        var dims = a.Dimensions.Length == 0 ? "" : $" ({string.Join(", ", a.Dimensions)})";
        var region = string.Join(", ", a.Coordinates.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Dimension}={c.Start}:{c.Stop}")));
        sb.AppendLine($"{a.Variable}{dims}: {a.DataType} [{string.Join(", ", a.Shape)}]{(region.Length > 0 ? $" at {region}" : "")}{(a.Units is null ? "" : $", units {a.Units}")}");
        var labels = a.Coordinates.Select(c => Labels(c)).ToArray();
        int rank = a.Shape.Length;
        if (rank == 0)
        {
            sb.AppendLine(Number(a.Values[0], a.DataType));
            return sb.ToString();
        }

        if (rank == 1)
        {
            var width = labels[0].Select(l => l.Length).DefaultIfEmpty(0).Max() + a.Dimensions[0].Length + 1;
            for (int i = 0; i < a.Values.Length; i++)
            {
                sb.Append($"{a.Dimensions[0]}={labels[0][i]}".PadRight(width)).Append("  ").AppendLine(Number(a.Values[i], a.DataType));
            }

            return sb.ToString();
        }

        long rows = a.Shape[rank - 2], cols = a.Shape[rank - 1];
        long plane = rows * cols;
        var lead = new long[rank - 2];
        for (long offset = 0; offset < a.Values.Length; offset += plane)
        {
            sb.AppendLine();
            if (rank > 2)
            {
                sb.AppendLine("[" + string.Join(", ", lead.Select((x, d) => $"{a.Dimensions[d]}={labels[d][x]}")) + "]");
            }

            var header = new List<string> { $"{a.Dimensions[rank - 2]} \\ {a.Dimensions[rank - 1]}" };
            header.AddRange(labels[rank - 1]);
            var table = new List<List<string>> { header };
            for (long r = 0; r < rows; r++)
            {
                var row = new List<string> { labels[rank - 2][r] };
                for (long c = 0; c < cols; c++)
                {
                    row.Add(Number(a.Values[offset + (r * cols) + c], a.DataType));
                }

                table.Add(row);
            }

            var widths = Enumerable.Range(0, header.Count).Select(c => table.Max(row => row[c].Length)).ToArray();
            foreach (var row in table)
            {
                sb.AppendLine(string.Join("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
            }

            for (int d = lead.Length - 1; d >= 0 && ++lead[d] == a.Shape[d]; d--)
            {
                lead[d] = 0;
            }
        }

        return sb.ToString();
    }

    /// <summary>A dimension's labels: ISO dates for times, coordinate values, or indices without a coordinate array.</summary>
    private static string[] Labels(CoordinateValues c)
    {
        int n = (int)(c.Stop - c.Start);
        if (c.Times is { } times)
        {
            return times.Select(t => t ?? "NaT").ToArray();
        }

        if (c.Values is { } values)
        {
            return values.Select(v => Number(v, c.DataType ?? "float64")).ToArray();
        }

        return Enumerable.Range(0, n).Select(i => (c.Start + i).ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>Shortest round-trip text: float32 values in float32's shortest form (0.1, not 0.100000001490116).</summary>
    private static string Number(double value, string dataType) =>
        dataType == "float32" ? ((float)value).ToString("R", CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
