using System.Text.Json.Nodes;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// The Zarr arrays a set of sources becomes, as xarray would write them: dimension names, attributes and
/// raw CF encodings kept, _FillValue as the v2 fill value (a base64 float64 attribute in v3, as xarray
/// writes it), NetCDF characters as |S&lt;n&gt;, variable-length strings left out with a warning. Shared by
/// conversions and templates so both produce the same metadata.
/// </summary>
public static class StoreLayout
{
    /// <summary>Chooses the chunk shape of one array: (shape, dimension names, element size, is a coordinate) → chunks.</summary>
    public delegate int[] ChunkChooser(long[] shape, string[] dims, int elementSize, bool isCoordinate);

    public sealed record Options(
        int ZarrFormat,
        CodecSpec Codec,
        ChunkChooser Chunks,
        IReadOnlyDictionary<string, int>? ExplicitChunks = null,
        IReadOnlyDictionary<string, int>? Shards = null,
        IReadOnlyCollection<string>? Variables = null,
        IReadOnlyCollection<string>? DropVariables = null);

    /// <summary>Builds the plan of every array from the first source's root group.</summary>
    public static List<ArrayPlan> Build(DatasetGroup first, string? concat, long concatLength, Options options, IOperationSink sink)
    {
        foreach (var g in first.Groups)
        {
            sink.Warning($"Group '{g.Path}' is not converted: only the root group is (as xarray.open_mfdataset reads it).");
        }

        if (options.Shards is { Count: > 0 } && options.ZarrFormat != 3)
        {
            throw new ZarrPartitionException("ShardingNeedsV3", ErrorKind.InvalidArgument, "--shards", "Shards exist only in Zarr v3; add --zarr-format 3.");
        }

        foreach (var (option, map) in new[] { ("--chunks", options.ExplicitChunks), ("--shards", options.Shards) })
        {
            foreach (var key in map?.Keys ?? [])
            {
                if (first.Dimension(key) is null)
                {
                    throw new ZarrPartitionException("UnknownDimension", ErrorKind.InvalidArgument, key,
                        $"{option} names dimension '{key}', which the sources do not have. Dimensions: {string.Join(", ", first.Dimensions.Select(d => d.Name))}.");
                }
            }
        }

        var selected = Select(first, options.Variables, options.DropVariables);
        var coordinates = Coordinates(first, concat);
        var plans = new List<ArrayPlan>();
        foreach (var v in first.Variables.Where(v => selected.Contains(v.Name)))
        {
            StoreKey.ValidateName(v.Name);
            if (v.Kind == VariableKind.String)
            {
                sink.Warning($"Variable '{v.Name}' holds variable-length strings, which this engine does not write to Zarr yet; it is left out.");
                continue;
            }

            int concatAxis = concat is null ? -1 : Array.IndexOf(v.Dimensions, concat);
            var shape = (long[])v.Shape.Clone();
            if (concatAxis >= 0)
            {
                shape[concatAxis] = concatLength;
            }

            // NetCDF characters: the last (string length) dimension becomes the width of a |S<n> element, as xarray decodes them
            bool strings = v.Kind == VariableKind.Char && v.Rank >= 1;
            var dims = v.Dimensions;
            var dtype = v.DataType.Native;
            if (strings)
            {
                dtype = new ZarrDataType(DataTypeKind.FixedBytes, (int)Math.Max(1, shape[^1]));
                shape = shape[..^1];
                dims = dims[..^1];
            }

            bool isCoordinate = coordinates.Contains(v.Name);
            var chunks = options.Chunks(shape, dims, dtype.Size, isCoordinate);
            var (attrs, fill) = Attributes(v, dtype, strings, options.ZarrFormat);
            var shards = isCoordinate ? null : ShardShape(v.Name, shape, dims, chunks, options.Shards); // coordinates: one plain chunk
            var meta = ArrayMetadata.Create(options.ZarrFormat, shape, chunks, dtype, fill, options.Codec.Build(dtype), dims, attrs, shards);
            plans.Add(new ArrayPlan(v, meta, concatAxis, strings, isCoordinate));
        }

        return plans;
    }

    /// <summary>
    /// The variables a template writes itself: dimension coordinates (1-D, named as their dimension) and
    /// the auxiliary coordinates and cell bounds that variables name (attributes coordinates and bounds)
    /// which do not lie along the concatenation dimension. Everything else is data, written by partitions.
    /// </summary>
    public static HashSet<string> Coordinates(DatasetGroup root, string? concat)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in root.Variables)
        {
            if (v.Rank == 1 && v.Dimensions[0] == v.Name)
            {
                names.Add(v.Name);
            }
        }

        foreach (var v in root.Variables)
        {
            foreach (var attr in new[] { "coordinates", "bounds" })
            {
                foreach (var name in (v.Attribute(attr)?.Text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (root.Variable(name) is { } c && (concat is null || !c.Dimensions.Contains(concat)) && c.Kind != VariableKind.String)
                    {
                        names.Add(name);
                    }
                }
            }
        }

        return names;
    }

    /// <summary>The variables to write: all, or the named ones and the coordinates they need, minus dropped ones.</summary>
    private static HashSet<string> Select(DatasetGroup root, IReadOnlyCollection<string>? keep, IReadOnlyCollection<string>? drop)
    {
        foreach (var name in (keep ?? []).Concat(drop ?? []))
        {
            if (root.Variable(name) is null)
            {
                throw new ZarrPartitionException("UnknownVariable", ErrorKind.InvalidArgument, name,
                    $"Variable '{name}' is not in the sources. Variables: {string.Join(", ", root.Variables.Select(v => v.Name))}.");
            }
        }

        var selected = new HashSet<string>(StringComparer.Ordinal);
        if (keep is { Count: > 0 })
        {
            foreach (var name in keep)
            {
                var v = root.Variable(name)!;
                selected.Add(name);
                foreach (var d in v.Dimensions)
                {
                    if (root.Variable(d) is { Rank: 1 } c && c.Dimensions[0] == d)
                    {
                        selected.Add(d);
                    }
                }

                foreach (var c in (v.Attribute("coordinates")?.Text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (root.Variable(c) is not null)
                    {
                        selected.Add(c);
                    }
                }
            }
        }
        else
        {
            selected.UnionWith(root.Variables.Select(v => v.Name));
        }

        selected.ExceptWith(drop ?? []);
        return selected;
    }

    private static (JsonObject Attributes, byte[]? Fill) Attributes(Variable v, ZarrDataType dtype, bool strings, int zarrFormat)
    {
        var attrs = new JsonObject();
        byte[]? fill = null;
        foreach (var a in v.Attributes)
        {
            if (a.Name == "_FillValue" && !strings)
            {
                fill = v.FillValue;
                if (zarrFormat == 2)
                {
                    continue; // v2: the Zarr fill value is the CF _FillValue (xarray moves it there)
                }

                if (dtype.Kind == DataTypeKind.Float && a.AsDoubles() is [double f])
                {
                    // v3: xarray keeps the CF _FillValue as an attribute, a float as base64 of its little-endian float64 bytes
                    attrs[a.Name] = Convert.ToBase64String(BitConverter.GetBytes(f));
                    continue;
                }
            }

            attrs[a.Name] = a.ToJson();
        }

        if (zarrFormat == 3 && fill is null)
        {
            fill = dtype.Kind == DataTypeKind.Float ? FillValueJson.FromDouble(double.NaN, dtype) : new byte[dtype.Size];
        }

        return (attrs, fill);
    }

    private static int[]? ShardShape(string name, long[] shape, string[] dims, int[] chunks, IReadOnlyDictionary<string, int>? requested)
    {
        if (requested is not { Count: > 0 } || shape.Length == 0)
        {
            return null;
        }

        var shards = new int[shape.Length];
        for (int d = 0; d < shape.Length; d++)
        {
            // a shard never needs to reach past the array's edge by more than one chunk
            long edge = (Math.Max(1, shape[d]) + chunks[d] - 1) / chunks[d] * chunks[d];
            shards[d] = (int)Math.Min(requested.TryGetValue(dims[d], out int sz) ? sz : chunks[d], edge);
            if (shards[d] % chunks[d] != 0)
            {
                throw new ZarrPartitionException("InvalidShardShape", ErrorKind.InvalidArgument, name,
                    $"Variable '{name}': the shard size {shards[d]} of dimension '{dims[d]}' is not a multiple of its chunk size {chunks[d]}.");
            }
        }

        return shards;
    }
}
