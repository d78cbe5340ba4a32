using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Planning;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// Writes a store's metadata once: every array (dimension names, attributes, CF encodings and fill
/// values as xarray writes them), the coordinates' values, consolidated metadata, and no data chunk at
/// all. The model comes from NetCDF/HDF5 files joined along time, a Zarr store, or a JSON spec; the time
/// axis is the sources' union or a --start/--end/--frequency range encoded like the sources. With
/// <see cref="Request.Append"/> an existing store's time axis is extended instead.
/// </summary>
public static class CreateTemplate
{
    public sealed record Request(
        IReadOnlyList<string> Sources,
        string Destination,
        int ZarrFormat = 2,
        IReadOnlyDictionary<string, int>? Chunks = null,
        IReadOnlyDictionary<string, int>? Shards = null,
        string? Codec = null,
        string? TimeDimension = null,
        string? Start = null,
        string? End = null,
        string? Frequency = null,
        string? AccessPattern = null,
        double TargetChunkMB = 50,
        IReadOnlyList<string>? Variables = null,
        IReadOnlyList<string>? DropVariables = null,
        bool Force = false,
        bool Append = false,
        SourceCache? Cache = null,
        IReadOnlyList<PackSpec>? Pack = null)
    {
        /// <summary>Another chunk policy for the data variables (conversions keep their own defaults); explicit chunks still win.</summary>
        internal StoreLayout.ChunkChooser? DataChunks { get; init; }
    }

    public static TemplateResult Run(Request request, IOperationSink sink)
    {
        var clock = Stopwatch.StartNew();
        Validate(request);
        var codec = CodecSpec.Parse(request.Codec ?? CodecSpec.DefaultText);
        var pattern = ChunkSizer.ParsePattern(request.AccessPattern);
        var destPath = Path.GetFullPath(request.Destination);
        var sources = request.Sources.Select(Path.GetFullPath).ToList();
        var collection = SourceCollection.Open(sources, request.TimeDimension, request.Cache, sink);
        var first = collection.First;
        string? timeDim = collection.ConcatDimension;
        if (request.TimeDimension is null && timeDim is null && first.Dimension("time") is not null)
        {
            timeDim = "time";
        }

        var axis = TimeAxis(collection, timeDim, request);
        if (request.Append)
        {
            return Append(request, collection, timeDim, axis, destPath, clock, sink);
        }

        // packed variables: their integer type, scale_factor/add_offset and reserved fill, as the sources become
        if (request.Pack is { Count: > 0 })
        {
            first = Pack(collection, first, timeDim, request.Pack, sink);
        }

        // chunk sizes shared by every variable along each dimension
        var dataVars = first.Variables.Where(v => !StoreLayout.Coordinates(first, timeDim).Contains(v.Name) && v.Kind == VariableKind.Numeric).ToList();
        var sizes = ChunkSizes(first, dataVars, timeDim, axis.Length, pattern, request, collection, sink);
        var options = new StoreLayout.Options(
            request.ZarrFormat,
            codec,
            (shape, dims, size, isCoordinate) => isCoordinate
                ? shape.Select(s => (int)Math.Clamp(s, 1, int.MaxValue)).ToArray()
                : request.DataChunks is { } chooser ? chooser(shape, dims, size, false)
                : dims.Select((d, i) => sizes.TryGetValue(d, out int c) ? (int)Math.Clamp(c, 1, Math.Max(1, shape[i])) : (int)Math.Clamp(shape[i], 1, int.MaxValue)).ToArray(),
            request.Chunks,
            request.Shards,
            request.Variables,
            request.DropVariables);
        var plans = StoreLayout.Build(first, timeDim, axis.Length, options, sink);
        foreach (var p in plans.Where(p => !p.IsCoordinate))
        {
            sink.Verbose($"{p.Variable.Name}: shape [{string.Join(",", p.Metadata.Shape)}], chunks [{string.Join(",", p.Metadata.ChunkShape)}], {p.Metadata.DataType.Name}.");
        }

        StoreDestination.Check(sources, destPath, request.Force);
        var coordinates = plans.Where(p => p.IsCoordinate).Select(p => p.Variable.Name).ToList();
        var result = new TemplateResult(destPath, request.ZarrFormat, plans.Count - coordinates.Count, coordinates.Count, axis.Length,
            sizes.ToDictionary(k => k.Key, k => k.Value), plans.Where(p => !p.IsCoordinate).Sum(p => p.Metadata.Grid.ChunkCount), 0, false, false);
        if (!sink.ShouldProcess(destPath, $"Create a Zarr v{request.ZarrFormat} template ({result.DataVariables} data variables, {axis.Length} time steps)"))
        {
            return result with { Seconds = clock.Elapsed.TotalSeconds };
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destPath)!);
        var staging = StoreDestination.StagingPath(destPath);
        try
        {
            var store = new FileSystemStore(staging, create: true);
            var rootAttrs = new JsonObject();
            foreach (var a in first.Attributes)
            {
                rootAttrs[a.Name] = a.ToJson();
            }

            ZarrHierarchy.CreateGroup(store, "", new GroupMetadata(request.ZarrFormat, rootAttrs));
            var allow = new ExecutionOptions { MaxThreads = 1, AllowPartialChunks = true, Cancellation = sink.Cancellation };
            foreach (var plan in plans)
            {
                var array = ZarrArray.Create(store, plan.Variable.Name, plan.Metadata);
                if (plan.IsCoordinate)
                {
                    var values = plan.Variable.Name == timeDim ? axis.Values : ReadWhole(collection, plan);
                    array.WriteRegion(new long[plan.Metadata.Rank], plan.Metadata.Shape, values, allow);
                }
            }

            new TemplateRecord(timeDim, coordinates, axis.Length, DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture)).Write(store);
            ZarrHierarchy.Consolidate(store);
            StoreDestination.Publish(staging, destPath);
        }
        catch
        {
            StoreDestination.TryDeleteFolder(staging);
            throw;
        }

        return result with { Seconds = clock.Elapsed.TotalSeconds, Performed = true };
    }

    /// <summary>The model with each packed variable turned into its packed form (type, attributes, fill).</summary>
    private static DatasetGroup Pack(SourceCollection collection, DatasetGroup first, string? timeDim, IReadOnlyList<PackSpec> specs, IOperationSink sink)
    {
        var coordinates = StoreLayout.Coordinates(first, timeDim);
        var variables = first.Variables.ToList();
        foreach (var spec in specs)
        {
            int i = variables.FindIndex(v => v.Name == spec.Variable);
            if (i < 0)
            {
                throw new ZarrPartitionException("UnknownVariable", ErrorKind.InvalidArgument, spec.Variable,
                    $"--pack names '{spec.Variable}', which the sources do not have. Variables: {string.Join(", ", first.Variables.Select(v => v.Name))}.");
            }

            var v = variables[i];
            if (v.DataType.Kind != DataTypeKind.Float || v.Kind != VariableKind.Numeric || coordinates.Contains(v.Name))
            {
                throw new ZarrPartitionException("CannotPack", ErrorKind.InvalidArgument, spec.Variable,
                    $"--pack '{spec.Variable}': only float data variables can be packed, and '{spec.Variable}' is {(coordinates.Contains(v.Name) ? "a coordinate" : v.DataType.Name)}.");
            }

            Packing packing;
            try
            {
                packing = Packing.Create(spec, v.Attributes, null);
            }
            catch (ZarrPartitionException e) when (e.ErrorId == "PackingRangeMissing" && collection.First.Variable(v.Name) is not null && collection.Parts.Any(p => p.Length > 0 || collection.ConcatDimension is null))
            {
                // no user range and no valid range: the range of the sources' data
                var extent = Extent(collection, v, sink);
                if (extent.IsEmpty)
                {
                    throw;
                }

                packing = Packing.Create(spec, v.Attributes, extent);
            }

            sink.Verbose(string.Create(CultureInfo.InvariantCulture,
                $"{v.Name} packed into {packing.DataType.Name}: range [{packing.Min:R}, {packing.Max:R}] from {packing.Range.Source}, scale_factor {packing.ScaleFactor:R}, add_offset {packing.AddOffset:R}, _FillValue {packing.FillValue}."));
            var attrs = v.Attributes.Where(a => a.Name is not ("_FillValue" or "missing_value" or "scale_factor" or "add_offset")).Concat(packing.Attributes()).ToList();
            var fill = FillValueJson.FromDouble(packing.FillValue, packing.DataType);
            variables[i] = v with { DataType = packing.DataType, Attributes = attrs, FillValue = fill };
        }

        return first with { Variables = variables };
    }

    /// <summary>The range of a variable's values over every source (NaN and _FillValue/missing_value left out).</summary>
    private static DataExtent Extent(SourceCollection collection, Variable model, IOperationSink sink)
    {
        sink.Verbose($"Scanning the sources for the range of '{model.Name}' (no --pack range and no valid_min/valid_max).");
        var extent = DataExtent.Empty;
        foreach (var part in collection.Parts)
        {
            using var lease = collection.Cache.Acquire(part.Path);
            var v = lease.Dataset.Root.Variable(model.Name)!;
            var mask = CfMask.FromAttributes(v.DataType.Native, v.Attributes);
            long rows = v.Rank == 0 ? 1 : v.Shape[0];
            long rowElements = v.Shape.Skip(1).Aggregate(1L, (a, b) => a * b);
            long step = Math.Max(1, (16L << 20) / Math.Max(1, rowElements * v.DataType.Size));
            for (long r = 0; r < rows; r += step)
            {
                sink.Cancellation.ThrowIfCancellationRequested();
                long n = Math.Min(step, rows - r);
                var start = new long[v.Rank];
                var count = (long[])v.Shape.Clone();
                if (v.Rank > 0)
                {
                    start[0] = r;
                    count[0] = n;
                }

                var raw = new byte[count.Aggregate((long)v.DataType.Size, (a, b) => a * b)];
                lease.Dataset.Read("", v, start, count, raw);
                var missing = new bool[raw.Length / v.DataType.Size];
                mask.Mark(raw, missing);
                extent = extent.Merge(v.DataType.Size == 4
                    ? DataExtent.Of(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw), missing)
                    : DataExtent.Of(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(raw), missing));
            }
        }

        return extent;
    }

    private static void Validate(Request request)
    {
        if (request.ZarrFormat is not (2 or 3))
        {
            throw new ZarrPartitionException("InvalidZarrFormat", ErrorKind.InvalidArgument, request.ZarrFormat.ToString(CultureInfo.InvariantCulture), "--zarr-format must be 2 or 3.");
        }

        if (request.Force && request.Append)
        {
            throw new ZarrPartitionException("ForceAndAppend", ErrorKind.InvalidArgument, "--append", "--force replaces a store and --append extends one; give only one of them.");
        }

        if ((request.Start is null) != (request.End is null))
        {
            throw new ZarrPartitionException("IncompleteTimeRange", ErrorKind.InvalidArgument, request.Start is null ? "--end" : "--start",
                "--start and --end go together (with --frequency, unless the sources' time step can be used).");
        }

        if (request.Frequency is not null && request.Start is null)
        {
            throw new ZarrPartitionException("IncompleteTimeRange", ErrorKind.InvalidArgument, "--frequency", "--frequency needs --start and --end.");
        }

        if (!(request.TargetChunkMB > 0) || double.IsInfinity(request.TargetChunkMB))
        {
            throw new ZarrPartitionException("InvalidTargetChunkSize", ErrorKind.InvalidArgument, "--target-chunk-mb", "--target-chunk-mb must be a positive number of megabytes (default 50).");
        }

        if (request.Variables is { Count: > 0 } && request.DropVariables is { Count: > 0 })
        {
            throw new ZarrPartitionException("VariablesAndDrop", ErrorKind.InvalidArgument, "--drop-variables", "Give either --variables or --drop-variables, not both.");
        }
    }

    /// <summary>The time axis: raw values (in the time variable's type and units) and its length.</summary>
    internal sealed record Axis(byte[] Values, long Length, IReadOnlyList<CfDateTime>? Dates);

    private static Axis TimeAxis(SourceCollection collection, string? timeDim, Request request)
    {
        if (timeDim is null)
        {
            if (request.Start is not null)
            {
                throw new ZarrPartitionException("NoTimeDimension", ErrorKind.InvalidArgument, "--start",
                    $"--start/--end need a time dimension, and the sources have none named 'time'; name it with --time-dim. Dimensions: {string.Join(", ", collection.First.Dimensions.Select(d => d.Name))}.");
            }

            return new Axis([], 0, null);
        }

        var timeVar = collection.First.Variable(timeDim);
        if (request.Start is null)
        {
            if (timeVar is not { Rank: 1, Kind: VariableKind.Numeric })
            {
                return new Axis([], collection.ConcatLength > 0 ? collection.ConcatLength : collection.First.Dimension(timeDim)!.Length, null);
            }

            // the union of the sources' times, as raw bytes in their (common) units and type
            int size = timeVar.DataType.Size;
            var bytes = new byte[collection.Parts.Sum(p => p.Length) * size];
            foreach (var part in collection.Parts)
            {
                using var lease = collection.Cache.Acquire(part.Path);
                var v = lease.Dataset.Root.Variable(timeDim)!;
                lease.Dataset.Read("", v, [0], [part.Length], bytes.AsSpan((int)(part.Offset * size), (int)(part.Length * size)));
            }

            return new Axis(bytes, bytes.Length / size, null);
        }

        if (timeVar is null || TimeValues.UnitsOf(timeVar) is not { } units)
        {
            throw new ZarrPartitionException("NoTimeUnits", ErrorKind.InvalidArgument, timeDim,
                $"--start/--end need the time coordinate '{timeDim}' with CF units ('<unit> since <date>'), which the sources do not have.");
        }

        var start = CfDateTime.Parse(request.Start!, units.Calendar);
        var end = CfDateTime.Parse(request.End!, units.Calendar);
        if (end < start)
        {
            throw new ZarrPartitionException("InvalidTimeRange", ErrorKind.InvalidArgument, "--end", $"--end {end} is before --start {start}.");
        }

        var freq = request.Frequency is { } f ? CfFrequency.Parse(f) : InferFrequency(collection, timeVar, units);
        var dates = freq.Range(start, end).ToList();
        return new Axis(TimeValues.Encode(dates, units, timeVar.DataType.Native, timeDim), dates.Count, dates);
    }

    /// <summary>The sources' time step, when their first two times are a fixed duration apart.</summary>
    private static CfFrequency InferFrequency(SourceCollection collection, Variable timeVar, CfTimeUnits units)
    {
        var first = collection.ReadCoordinate(collection.Parts[0].Path, timeVar.Name, out _);
        if (first.Length < 2)
        {
            throw new ZarrPartitionException("NoFrequency", ErrorKind.InvalidArgument, "--frequency",
                "Give --frequency (e.g. 1h, 6h, 1D, MS, PT1H): the first source has fewer than two time steps to take it from.");
        }

        long step = units.Decode(first[1]).ToMicroseconds() - units.Decode(first[0]).ToMicroseconds();
        if (step <= 0)
        {
            throw new ZarrPartitionException("NoFrequency", ErrorKind.InvalidArgument, "--frequency", "Give --frequency: the first source's times do not increase.");
        }

        return CfFrequency.Parse(step % 1_000_000 == 0 ? $"{step / 1_000_000}s" : $"{step}us");
    }

    private static Dictionary<string, int> ChunkSizes(DatasetGroup first, List<Variable> dataVars, string? timeDim, long timeLength, AccessPattern pattern, Request request, SourceCollection collection, IOperationSink sink)
    {
        if (dataVars.Count == 0)
        {
            return new Dictionary<string, int>(request.Chunks ?? new Dictionary<string, int>());
        }

        long Length(string d) => d == timeDim ? timeLength : first.Dimension(d)?.Length ?? 1;
        var widest = dataVars.OrderByDescending(v => v.Dimensions.Where(d => d != timeDim).Aggregate(1.0, (n, d) => n * Math.Max(1, Length(d)))).ThenByDescending(v => v.Rank).First();
        var axes = widest.Dimensions.Select(d => new ChunkSizer.Axis(d, Length(d))).ToList();
        long? fileLength = collection.Parts.Count > 1 ? collection.CommonPartLength : null;
        var chosen = ChunkSizer.Choose(axes, timeDim, dataVars.Max(v => v.DataType.Size), pattern, (long)(request.TargetChunkMB * (1 << 20)), fileLength, request.Chunks);
        foreach (var note in chosen.Notes)
        {
            sink.Verbose(note);
        }

        var sizes = new Dictionary<string, int>(chosen.Chunks, StringComparer.Ordinal);
        foreach (var (d, c) in request.Chunks ?? new Dictionary<string, int>())
        {
            sizes[d] = c;
        }

        // dimensions the widest variable lacks: whole, unless given
        foreach (var v in dataVars)
        {
            foreach (var d in v.Dimensions.Where(d => !sizes.ContainsKey(d)))
            {
                sizes[d] = (int)Math.Clamp(Length(d), 1, int.MaxValue);
            }
        }

        sink.Verbose($"Chunks ({pattern.ToString().ToLowerInvariant()}, target {request.TargetChunkMB} MB): {string.Join(", ", sizes.Select(k => $"{k.Key}={k.Value}"))}.");
        return sizes;
    }

    private static byte[] ReadWhole(SourceCollection collection, ArrayPlan plan)
    {
        var v = plan.Variable;
        var buffer = new byte[v.Shape.Aggregate((long)v.DataType.Size, (a, b) => a * b)];
        using var lease = collection.Cache.Acquire(collection.Parts[0].Path);
        lease.Dataset.Read("", v, new long[v.Rank], v.Shape, buffer);
        return buffer;
    }

    /// <summary>Extends an existing store's time axis with the new times (those already there are skipped).</summary>
    private static TemplateResult Append(Request request, SourceCollection collection, string? timeDim, Axis axis, string destPath, Stopwatch clock, IOperationSink sink)
    {
        if (!Directory.Exists(destPath) || !ZarrHierarchy.IsZarr(new FileSystemStore(destPath)))
        {
            throw new ZarrPartitionException("AppendNeedsStore", ErrorKind.ObjectNotFound, destPath,
                $"--append extends an existing Zarr store, and '{destPath}' is not one. Create the template first (without --append).");
        }

        var store = new FileSystemStore(destPath);
        var hierarchy = ZarrHierarchy.Open(store, useConsolidated: false);
        var record = TemplateRecord.Read(store);
        timeDim = request.TimeDimension ?? record?.TimeDimension ?? timeDim;
        if (timeDim is null || !hierarchy.Arrays.TryGetValue(timeDim, out var timeMeta))
        {
            throw new ZarrPartitionException("AppendNeedsTime", ErrorKind.InvalidArgument, destPath,
                $"--append extends the time coordinate, and the store has no time coordinate array{(timeDim is null ? "" : $" '{timeDim}'")}. Name it with --time-dim.");
        }

        var timeArray = new ZarrArray(store, timeDim, timeMeta);
        var storeVar = new Variable(timeDim, timeMeta.DataType, [timeDim], timeMeta.Shape, null, [],
            timeMeta.Attributes.Where(kv => kv.Value is JsonValue).Select(kv => new AttributeValue(kv.Key, kv.Value!.ToString())).ToList(), null);
        var storeUnits = TimeValues.UnitsOf(storeVar)
            ?? throw new ZarrPartitionException("AppendNeedsTimeUnits", ErrorKind.InvalidArgument, timeDim, $"The store's '{timeDim}' has no CF time units; cannot place new times on its axis.");
        var sourceTime = collection.First.Variable(timeDim)
            ?? throw new ZarrPartitionException("AppendNeedsTime", ErrorKind.InvalidArgument, timeDim, $"The sources have no '{timeDim}' variable to append.");
        var sourceUnits = TimeValues.UnitsOf(sourceTime)
            ?? throw new ZarrPartitionException("AppendNeedsTimeUnits", ErrorKind.InvalidArgument, timeDim, $"The sources' '{timeDim}' has no CF time units.");
        if (sourceUnits.Calendar != storeUnits.Calendar)
        {
            throw new ZarrPartitionException("CalendarMismatch", ErrorKind.InvalidData, timeDim,
                $"The store's calendar is {storeUnits.Calendar.ToCfName()} and the sources' is {sourceUnits.Calendar.ToCfName()}; times cannot be joined across calendars.");
        }

        // every data array of the store must exist in the sources with the same dimensions
        foreach (var (name, meta) in hierarchy.Arrays)
        {
            var dims = meta.DimensionNames ?? [];
            if (!dims.Contains(timeDim) || name == timeDim)
            {
                continue;
            }

            var v = collection.First.Variable(name)
                ?? throw new ZarrPartitionException("AppendMissingVariable", ErrorKind.InvalidData, collection.FirstPath, $"The store has '{name}' along {timeDim}, which the sources lack; they cannot extend it.");
            var expect = v.Kind == VariableKind.Char ? v.Dimensions[..^1] : v.Dimensions;
            if (!expect.SequenceEqual(dims!))
            {
                throw new ZarrPartitionException("AppendShapeMismatch", ErrorKind.InvalidData, collection.FirstPath,
                    $"'{name}' has dimensions ({string.Join(", ", expect)}) in the sources but ({string.Join(", ", dims)}) in the store.");
            }

            for (int d = 0; d < dims.Length; d++)
            {
                if (dims[d] != timeDim && meta.Shape[d] != (collection.First.Dimension(dims[d]!)?.Length ?? -1))
                {
                    throw new ZarrPartitionException("AppendShapeMismatch", ErrorKind.InvalidData, collection.FirstPath,
                        $"Dimension '{dims[d]}' has length {collection.First.Dimension(dims[d]!)?.Length} in the sources but {meta.Shape[d]} in the store.");
                }
            }
        }

        // decode both axes to dates; keep the new ones after the store's end, skip those already present
        var existingRaw = timeArray.ReadAsDoubles([0], timeMeta.Shape);
        var existing = TimeValues.ToMicroseconds(existingRaw, storeUnits);
        var incoming = axis.Dates ?? DecodeRaw(axis, sourceTime, sourceUnits);
        var present = new HashSet<long>(existing);
        long last = existing.Length == 0 ? long.MinValue : existing[^1];
        var added = new List<CfDateTime>();
        int skipped = 0;
        foreach (var date in incoming)
        {
            long us = date.ToMicroseconds();
            if (present.Contains(us))
            {
                skipped++;
            }
            else if (us < last)
            {
                throw new ZarrPartitionException("AppendInsideAxis", ErrorKind.InvalidData, timeDim,
                    $"{date} falls inside the store's time axis (which ends at {storeUnits.Decode(existingRaw[^1])}) but is not on it; --append only adds times after the end.");
            }
            else
            {
                added.Add(date);
            }
        }

        if (skipped > 0)
        {
            sink.Verbose($"{skipped} time step(s) are already in the store and are skipped.");
        }

        long oldLength = timeMeta.Shape[0];
        var result = new TemplateResult(destPath, timeMeta.ZarrFormat, 0, 0, oldLength + added.Count, new Dictionary<string, int>(), 0, 0, false, true);
        if (added.Count == 0)
        {
            sink.Warning($"Nothing to append: every time step of the sources is already in '{destPath}'.");
            return result with { Seconds = clock.Elapsed.TotalSeconds };
        }

        if (!sink.ShouldProcess(destPath, $"Append {added.Count} time step(s) ({added[0]} … {added[^1]}) to the store"))
        {
            return result with { Seconds = clock.Elapsed.TotalSeconds };
        }

        // new coordinate values first (beyond the old shape, invisible until the metadata grows), then shapes, then consolidated metadata
        var newValues = TimeValues.Encode(added, storeUnits, timeMeta.DataType.Native, timeDim);
        long newLength = oldLength + added.Count;
        var grownTime = new ZarrArray(store, timeDim, timeMeta.WithShape([newLength]));
        grownTime.WriteRegion([oldLength], [added.Count], newValues, new ExecutionOptions { MaxThreads = 1, AllowPartialChunks = true, Cancellation = sink.Cancellation });
        int arrays = 0;
        foreach (var (name, meta) in hierarchy.Arrays)
        {
            int axisIndex = Array.IndexOf(meta.DimensionNames ?? [], timeDim);
            if (axisIndex < 0)
            {
                continue;
            }

            var shape = (long[])meta.Shape.Clone();
            shape[axisIndex] = newLength;
            ZarrArray.Create(store, name, meta.WithShape(shape));
            arrays++;
        }

        var coords = record?.Coordinates ?? [timeDim];
        new TemplateRecord(timeDim, coords, newLength, DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture)).Write(store);
        ZarrHierarchy.Consolidate(store);
        sink.Verbose($"Appended {added.Count} time step(s) to {arrays} array(s): {timeDim} now has {newLength}.");
        return result with { DataVariables = arrays - 1, Coordinates = 1, Seconds = clock.Elapsed.TotalSeconds, Performed = true };
    }

    private static List<CfDateTime> DecodeRaw(Axis axis, Variable timeVar, CfTimeUnits units)
    {
        var dates = new List<CfDateTime>((int)axis.Length);
        var type = timeVar.DataType.Native;
        for (int i = 0; i < axis.Length; i++)
        {
            dates.Add(units.Decode(type.ReadAsDouble(axis.Values, i)));
        }

        return dates;
    }
}
