using System.CommandLine;
using System.Text;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Cli;

internal static class InfoCommand
{
    public static Command Create(CancellationToken token)
    {
        var path = new Argument<string>("SOURCE") { Description = "A Zarr store (folder) or a NetCDF/HDF5 file." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Say what is being done." };
        var cmd = new Command("info", "Describe a Zarr store (groups, arrays, shapes, chunks, data types, codecs, dimension names, attributes, chunks present) or a NetCDF/HDF5 file (what ncdump -hs tells).")
        {
            path, json, verbose,
        };
        cmd.SetAction(r => Program.Guard(() =>
        {
            var sink = new ConsoleSink(token, r.GetValue(verbose), false);
            var target = r.GetValue(path)!;
            if (File.Exists(target))
            {
                var file = DescribeSource.Run(new DescribeSource.Request(target), sink);
                Console.Out.Write(r.GetValue(json) ? JsonText.ToText(file.ToJson()) + Environment.NewLine : DescribeSource.Format(file));
                return 0;
            }

            var info = DescribeStore.Run(new DescribeStore.Request(target), sink);
            Console.Out.Write(r.GetValue(json) ? JsonText.ToText(info.ToJson()) + Environment.NewLine : Format(info));
            return 0;
        }));
        return cmd;
    }

    internal static string Format(StoreInfo info)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Zarr v{info.ZarrFormat} store {info.Location}{(info.Consolidated ? " (consolidated metadata)" : "")}");
        if (info.Groups.Length > 1)
        {
            sb.AppendLine($"groups: {string.Join(", ", info.Groups.Select(g => g.Length == 0 ? "/" : g))}");
        }

        if (info.AttributesJson != "{}")
        {
            sb.AppendLine($"attributes: {info.AttributesJson}");
        }

        foreach (var a in info.Arrays)
        {
            var dims = a.DimensionNames.Any(d => d is not null) ? $" ({string.Join(", ", a.DimensionNames.Select(d => d ?? "?"))})" : "";
            sb.AppendLine();
            sb.AppendLine($"{(a.Path.Length == 0 ? "/" : a.Path)}{dims}: {a.DataType} [{string.Join(", ", a.Shape)}]");
            sb.AppendLine($"  chunks   [{string.Join(", ", a.Chunks)}]{(a.Shards is null ? "" : $" in shards [{string.Join(", ", a.Shards)}]")}");
            sb.AppendLine($"  codecs   {a.Codecs}");
            sb.AppendLine($"  fill     {a.FillValue}");
            sb.AppendLine($"  present  {a.ChunksPresent} of {a.ChunkCount} {(a.Shards is null ? "chunks" : "shards")}");
            if (a.AttributesJson != "{}")
            {
                sb.AppendLine($"  attrs    {a.AttributesJson}");
            }
        }

        return sb.ToString();
    }
}
