using System.Buffers.Binary;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Planning;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Writing;

/// <summary>
/// Builds the data of one store region from a partition's source slabs: each source's steps land where
/// the plan says, steps no source covers stay the fill value, and the store's encodings are applied —
/// packing (scale_factor/add_offset into integers, NaN and masked values to the fill), NetCDF characters
/// to fixed-width strings, another fill value, and numeric conversion with overflow checked.
/// </summary>
internal sealed class ChunkAssembler
{
    private readonly ArrayMetadata _meta;
    private readonly string _name;
    private readonly int _timeAxis;
    private readonly IReadOnlyList<PartitionSource> _sources;
    private readonly SourceCache _cache;
    private readonly Packing? _packing;
    private readonly OutOfRangeAction _outOfRange;
    private readonly bool _strings;
    private readonly Variable _model;
    private long _clipped;

    public ChunkAssembler(string name, ArrayMetadata meta, string? timeDim, IReadOnlyList<PartitionSource> sources, SourceCache cache, OutOfRangeAction outOfRange)
    {
        _name = name;
        _meta = meta;
        _sources = sources;
        _cache = cache;
        _outOfRange = outOfRange;
        var dims = meta.DimensionNames ?? [];
        _timeAxis = timeDim is null ? -1 : Array.IndexOf(dims, timeDim);
        if (sources.Count == 0)
        {
            throw new ZarrPartitionException("NoSourcesInPlan", ErrorKind.InvalidArgument, name,
                $"The plan gives no source files for '{name}'. Make the plan with --sources FILE... so each partition knows what to read.");
        }

        using (var lease = cache.Acquire(sources[0].Path))
        {
            _model = lease.Dataset.Root.Variable(name)
                ?? throw new ZarrPartitionException("VariableNotInSource", ErrorKind.InvalidData, sources[0].Path, $"'{sources[0].Path}' has no variable '{name}', which the plan writes.");
        }

        _strings = meta.DataType.Kind == DataTypeKind.FixedBytes && _model.Kind == VariableKind.Char;
        if (meta.DataType.Kind == DataTypeKind.Int && _model.DataType.Kind == DataTypeKind.Float
            && meta.Attributes["scale_factor"] is { } sf && meta.Attributes["add_offset"] is { } ao)
        {
            _packing = Packing.FromStored(name, meta.DataType.Size * 8, sf.GetValue<double>(), ao.GetValue<double>());
        }

        int expectedRank = _strings ? meta.Rank + 1 : meta.Rank;
        if (_model.Rank != expectedRank)
        {
            throw new ZarrPartitionException("SourceShapeMismatch", ErrorKind.InvalidData, sources[0].Path,
                $"'{name}' has {_model.Rank} dimensions in '{sources[0].Path}' but {meta.Rank} in the store.");
        }
    }

    /// <summary>Values clipped into the packing range so far (with <see cref="OutOfRangeAction.Clip"/>).</summary>
    public long Clipped => Interlocked.Read(ref _clipped);

    /// <summary>The region [origin, origin+count) of the store array, in the store's type (little endian, C order).</summary>
    public byte[] Assemble(long[] origin, long[] count)
    {
        int storeSize = _meta.DataType.Size;
        long n = count.Aggregate(1L, (a, b) => a * b);
        var region = GC.AllocateUninitializedArray<byte>(checked((int)(n * storeSize)));
        if (!Covered(origin, count))
        {
            Fill(region, _meta.FillBytes);
        }

        if (_timeAxis < 0)
        {
            Place(_sources[0].Path, origin, count, origin, count, region, count);
            return region;
        }

        long lo = origin[_timeAxis], hi = lo + count[_timeAxis];
        var timeName = _meta.DimensionNames![_timeAxis]!;
        foreach (var s in _sources)
        {
            if (!s.Target.TryGetValue(timeName, out var target) || !s.Slab.TryGetValue(timeName, out var slab))
            {
                continue;
            }

            long a = Math.Max(lo, target[0]), b = Math.Min(hi, target[1]);
            if (a >= b)
            {
                continue;
            }

            var srcStart = (long[])origin.Clone();
            var srcCount = (long[])count.Clone();
            srcStart[_timeAxis] = slab[0] + (a - target[0]);
            srcCount[_timeAxis] = b - a;
            var dstStart = new long[count.Length];
            dstStart[_timeAxis] = a - lo;
            Place(s.Path, srcStart, srcCount, dstStart, srcCount, region, count);
        }

        return region;
    }

    /// <summary>Whether the sources cover every step of the region along time (then no fill is needed first).</summary>
    private bool Covered(long[] origin, long[] count)
    {
        if (_timeAxis < 0)
        {
            return true;
        }

        var timeName = _meta.DimensionNames![_timeAxis]!;
        long at = origin[_timeAxis], end = at + count[_timeAxis];
        foreach (var s in _sources.Where(s => s.Target.ContainsKey(timeName)).OrderBy(s => s.Target[timeName][0]))
        {
            var t = s.Target[timeName];
            if (t[0] > at)
            {
                break;
            }

            at = Math.Max(at, t[1]);
        }

        return at >= end;
    }

    /// <summary>Fills a buffer with one element repeated: zeros at once, others by doubling copies.</summary>
    private static void Fill(byte[] buffer, byte[] element)
    {
        if (element.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            Array.Clear(buffer);
            return;
        }

        if (buffer.Length < element.Length)
        {
            return;
        }

        element.CopyTo(buffer, 0);
        for (int done = element.Length; done < buffer.Length; done *= 2)
        {
            Array.Copy(buffer, 0, buffer, done, Math.Min(done, buffer.Length - done));
        }
    }

    /// <summary>Whether a source's values go into the store as they are (same type, same fill, no packing or strings).</summary>
    private bool Passthrough(Variable source)
    {
        if (_strings ? _meta.DataType.Size != source.Shape[^1] : _packing is not null)
        {
            return false;
        }

        if (_strings)
        {
            return true;
        }

        var mask = CfMask.FromAttributes(source.DataType.Native, source.Attributes);
        var storeType = _meta.DataType;
        var storeFill = _meta.FillValue;
        bool sameFill = !mask.HasFillValues || storeFill is null || mask.FillValues.All(f => storeType.ReadAsDouble(storeFill, 0).Equals(f) || double.IsNaN(f) && storeType.Kind == DataTypeKind.Float);
        return source.DataType.Native == storeType && sameFill;
    }

    /// <summary>Reads one source box and writes it, converted, into the region at <paramref name="dstStart"/>.</summary>
    private void Place(string path, long[] srcStart, long[] srcCount, long[] dstStart, long[] box, byte[] region, long[] regionCount)
    {
        int storeSize = _meta.DataType.Size;
        using var lease = _cache.Acquire(path);
        var v = lease.Dataset.Root.Variable(_name)
            ?? throw new ZarrPartitionException("VariableNotInSource", ErrorKind.InvalidData, path, $"'{path}' has no variable '{_name}', which the plan writes.");
        long strlen = _strings ? v.Shape[^1] : 0;
        long[] start = _strings ? [.. srcStart, 0] : srcStart;
        long[] count = _strings ? [.. srcCount, strlen] : srcCount;
        for (int d = 0; d < start.Length; d++)
        {
            if (start[d] < 0 || start[d] + count[d] > v.Shape[d])
            {
                throw new ZarrPartitionException("SourceShapeMismatch", ErrorKind.InvalidData, path,
                    $"'{path}': the plan reads '{_name}' at [{string.Join(",", start)}] + [{string.Join(",", count)}], outside its shape [{string.Join(",", v.Shape)}]. The file changed since the plan was made; plan again.");
            }
        }

        long elements = srcCount.Aggregate(1L, (x, y) => x * y);
        bool whole = dstStart.All(x => x == 0) && box.SequenceEqual(regionCount);
        if (whole && Passthrough(v))
        {
            // the common case: the source box is the whole region, in the store's type: read straight into it
            lease.Dataset.Read("", v, start, count, region);
            return;
        }

        int srcSize = _strings ? (int)strlen : v.DataType.Size;
        var raw = GC.AllocateUninitializedArray<byte>(checked((int)(elements * srcSize)));
        lease.Dataset.Read("", v, start, count, raw);
        byte[] converted = Convert(raw, v, elements, path);
        if (whole)
        {
            converted.CopyTo(region, 0);
            return;
        }

        var boxShape = box.Select(x => (int)x).ToArray();
        NdCopy.CopyRegion(converted, boxShape, new long[box.Length], region, regionCount.Select(x => (int)x).ToArray(), dstStart, boxShape, storeSize);
    }

    private byte[] Convert(byte[] raw, Variable source, long elements, string path)
    {
        var storeType = _meta.DataType;
        if (_strings)
        {
            int width = storeType.Size, strlen = (int)source.Shape[^1];
            if (width == strlen)
            {
                return raw;
            }

            var resized = new byte[elements * width];
            for (long i = 0; i < elements; i++)
            {
                Array.Copy(raw, i * strlen, resized, i * width, Math.Min(width, strlen));
            }

            return resized;
        }

        var mask = CfMask.FromAttributes(source.DataType.Native, source.Attributes);
        if (_packing is { } packing)
        {
            var missing = new bool[elements];
            mask.Mark(raw, missing);
            var packed = new byte[elements * storeType.Size];
            long clipped;
            try
            {
                clipped = source.DataType.Size == 4
                    ? packing.Encode(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw), missing, packed, _outOfRange)
                    : packing.Encode(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(raw), missing, packed, _outOfRange);
            }
            catch (ZarrPartitionException e) when (e.ErrorId == "PackingValueOutOfRange")
            {
                throw new ZarrPartitionException(e.ErrorId, e.Kind, path, $"'{path}': {e.Message} Use --out-of-range clip to clip such values (with a warning), or make the template with a wider --pack range.", e);
            }

            Interlocked.Add(ref _clipped, clipped);
            return packed;
        }

        var sourceType = source.DataType.Native;
        if (Passthrough(source))
        {
            return raw;
        }

        // the slow path: element by element, masked values to the store's fill, range checked
        var missingValues = new bool[elements];
        if (mask.HasFillValues)
        {
            mask.Mark(raw, missingValues);
        }

        var output = new byte[elements * storeType.Size];
        var fill = _meta.FillBytes;
        for (long i = 0; i < elements; i++)
        {
            var slot = output.AsSpan((int)(i * storeType.Size), storeType.Size);
            if (missingValues[i])
            {
                fill.CopyTo(slot);
                continue;
            }

            double x = sourceType.ReadAsDouble(raw, (int)i);
            WriteNumber(x, storeType, slot, path);
        }

        return output;
    }

    private void WriteNumber(double x, ZarrDataType type, Span<byte> slot, string path)
    {
        switch (type.Kind)
        {
            case DataTypeKind.Float when type.Size == 4:
                float f = (float)x;
                if (float.IsInfinity(f) && double.IsFinite(x))
                {
                    throw Overflow(x, path);
                }

                BinaryPrimitives.WriteSingleLittleEndian(slot, f);
                return;
            case DataTypeKind.Float:
                BinaryPrimitives.WriteDoubleLittleEndian(slot, x);
                return;
            case DataTypeKind.Bool:
                slot[0] = x != 0 ? (byte)1 : (byte)0;
                return;
        }

        double lo = type.Kind == DataTypeKind.UInt ? 0 : -Math.Pow(2, type.Size * 8 - 1);
        double hi = type.Kind == DataTypeKind.UInt ? Math.Pow(2, type.Size * 8) - 1 : Math.Pow(2, type.Size * 8 - 1) - 1;
        if (double.IsNaN(x) || x < lo || x > hi || x != Math.Floor(x))
        {
            throw Overflow(x, path);
        }

        Span<byte> le = stackalloc byte[8];
        if (type.Kind == DataTypeKind.UInt)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(le, (ulong)x);
        }
        else
        {
            BinaryPrimitives.WriteInt64LittleEndian(le, (long)x);
        }

        le[..type.Size].CopyTo(slot);
    }

    private ZarrPartitionException Overflow(double x, string path) =>
        new("ValueOutOfRange", ErrorKind.InvalidData, path,
            $"'{path}': value {x} of '{_name}' does not fit the store's {_meta.DataType.Name} exactly. Make the template with a type that holds it (or pack it with --pack).");
}
