using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Win32.SafeHandles;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.NetCdf;

/// <summary>
/// A NetCDF-3 file — CDF-1 (classic), CDF-2 (64-bit offset) or CDF-5 (64-bit data) — read with a managed
/// parser. Opening reads and checks the header and the data layout against the file size; hyperslab reads
/// are positional, so one instance serves many threads at once without locks.
/// </summary>
public sealed class NetCdf3File : IDataset
{
    private readonly SafeFileHandle _handle;
    private readonly Dictionary<string, NetCdf3VariableLayout> _layouts;

    private NetCdf3File(SafeFileHandle handle, string location, NetCdf3Header header, long fileLength)
    {
        _handle = handle;
        Location = location;
        FileLength = fileLength;
        HeaderLength = header.Length;
        Format = header.Version switch
        {
            1 => "NETCDF3_CLASSIC",
            2 => "NETCDF3_64BIT_OFFSET",
            _ => "NETCDF3_64BIT_DATA",
        };
        (Root, _layouts, RecordSize) = Build(header);
    }

    public string Location { get; }

    /// <summary>"NETCDF3_CLASSIC", "NETCDF3_64BIT_OFFSET" or "NETCDF3_64BIT_DATA".</summary>
    public string Format { get; }

    public DatasetGroup Root { get; }

    /// <summary>Bytes of the header: where the data may begin.</summary>
    internal long HeaderLength { get; }

    /// <summary>Bytes of one record: the record variables' slabs, each padded to four bytes unless it is the only one.</summary>
    internal long RecordSize { get; }

    internal long FileLength { get; }

    /// <summary>Opens a NetCDF-3 file; any damage to its header or layout is a <see cref="SourceFormatException"/>.</summary>
    public static NetCdf3File Open(string path)
    {
        var full = Path.GetFullPath(path);
        SafeFileHandle handle;
        try
        {
            // like a plain read-only open: others may keep writing, renaming or deleting the file
            handle = File.OpenHandle(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ZarrPartitionException("SourceNotFound", ErrorKind.ObjectNotFound, full, $"Source '{full}' does not exist.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ZarrPartitionException("SourceAccessDenied", ErrorKind.PermissionDenied, full, $"Source '{full}' cannot be opened for reading: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new ZarrPartitionException("SourceReadFailed", ErrorKind.ReadError, full, $"Source '{full}' cannot be opened: {e.Message}", e);
        }

        try
        {
            long length = RandomAccess.GetLength(handle);
            var header = NetCdf3Header.Parse(new NetCdf3HeaderReader(handle, full, length));
            return new NetCdf3File(handle, full, header, length);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void Read(string groupPath, Variable variable, long[] start, long[] count, Span<byte> output) =>
        Read(groupPath, variable, start, count, output, NetCdf3Hyperslab.DefaultCallCost);

    /// <summary>Read with a chosen weight of a read call against bytes moved (tests use it to force each read strategy).</summary>
    internal void Read(string groupPath, Variable variable, long[] start, long[] count, Span<byte> output, double callCost)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(count);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var layout = Resolve(groupPath, variable);
        var shape = layout.Variable.Shape;
        if (start.Length != shape.Length || count.Length != shape.Length)
        {
            throw new ZarrPartitionException("WrongRank", ErrorKind.InvalidArgument, variable.Name,
                $"'{variable.Name}' has {shape.Length} dimension(s); the region has {start.Length} start(s) and {count.Length} count(s).");
        }

        long elements = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            if (start[d] < 0 || count[d] < 0 || start[d] > shape[d] || count[d] > shape[d] - start[d])
            {
                throw new ZarrPartitionException("RegionOutOfBounds", ErrorKind.InvalidArgument, variable.Name,
                    $"Region [{start[d]}, {start[d] + count[d]}) of dimension {d} lies outside '{variable.Name}' (size {shape[d]}).");
            }

            elements *= count[d];
        }

        // the region lies inside the variable, whose size open checked against the file: no overflow here
        long bytes = elements * layout.ElementSize;
        if (bytes != output.Length)
        {
            throw new ZarrPartitionException("WrongBufferSize", ErrorKind.InvalidArgument, variable.Name,
                $"{output.Length} bytes given for a region of {bytes} bytes of '{variable.Name}'.");
        }

        NetCdf3Hyperslab.Read(_handle, Location, layout, start, count, output, callCost);
    }

    public string[] ReadStrings(string groupPath, Variable variable, long[] start, long[] count)
    {
        ArgumentNullException.ThrowIfNull(variable);
        throw new ZarrPartitionException("NotAStringVariable", ErrorKind.InvalidArgument, variable.Name,
            $"'{variable.Name}' in {Location} holds {variable.DataType.Name}; NetCDF-3 files have no variable-length strings (read NC_CHAR variables with Read).");
    }

    public void Dispose() => _handle.Dispose();

    private NetCdf3VariableLayout Resolve(string groupPath, Variable variable)
    {
        if (groupPath is not ("" or "/"))
        {
            throw new ZarrPartitionException("GroupNotFound", ErrorKind.ObjectNotFound, groupPath,
                $"'{Location}' is a NetCDF-3 file and has only the root group; there is no group '{groupPath}'.");
        }

        if (!_layouts.TryGetValue(variable.Name, out var layout))
        {
            throw new ZarrPartitionException("VariableNotFound", ErrorKind.ObjectNotFound, variable.Name,
                $"'{Location}' has no variable '{variable.Name}'.");
        }

        var mine = layout.Variable;
        if (!ReferenceEquals(mine, variable) && (mine.DataType != variable.DataType || !mine.Shape.AsSpan().SequenceEqual(variable.Shape)))
        {
            throw new ZarrPartitionException("VariableMismatch", ErrorKind.InvalidArgument, variable.Name,
                $"The variable '{variable.Name}' given is not the one in '{Location}' ({mine.DataType.Name} [{string.Join(", ", mine.Shape)}]); pass a variable from this file's Root.");
        }

        return layout;
    }

    private (DatasetGroup Root, Dictionary<string, NetCdf3VariableLayout> Layouts, long RecordSize) Build(NetCdf3Header h)
    {
        int recordDim = h.RecordDimension;
        int n = h.Variables.Count;
        var isRecord = new bool[n];
        var slab = new long[n];
        long recordSize = 0;
        int recordVars = 0;
        for (int i = 0; i < n; i++)
        {
            var v = h.Variables[i];
            var ids = v.DimensionIds;
            isRecord[i] = ids.Length > 0 && ids[0] == recordDim;
            long bytes = NetCdf3TypeInfo.Size(v.Type);
            for (int d = isRecord[i] ? 1 : 0; d < ids.Length; d++)
            {
                if (ids[d] == recordDim)
                {
                    throw Error($"variable '{NetCdf3HeaderReader.Shown(v.Name)}' uses the record dimension '{NetCdf3HeaderReader.Shown(h.Dimensions[recordDim].Name)}' as dimension {d}; only a variable's first dimension can be the record dimension.");
                }

                bytes = Multiply(bytes, h.Dimensions[ids[d]].Length, $"the size of variable '{NetCdf3HeaderReader.Shown(v.Name)}'");
            }

            slab[i] = bytes;
            if (isRecord[i])
            {
                recordVars++;
                recordSize = Add(recordSize, Add(slab[i], (4 - (slab[i] & 3)) & 3, "the record size"), "the record size");
            }
        }

        if (recordVars == 1)
        {
            // a lone record variable's records follow each other without padding
            recordSize = slab[Array.IndexOf(isRecord, true)];
        }

        long numRecs = h.Streaming ? StreamingRecords(h, isRecord, slab, recordSize) : h.NumRecs;
        CheckLayout(h, isRecord, slab, recordSize, numRecs);

        var dims = h.Dimensions.Select((d, i) => i == recordDim ? new Dimension(d.Name, numRecs, true) : new Dimension(d.Name, d.Length)).ToList();
        var variables = new List<Variable>(n);
        var layouts = new Dictionary<string, NetCdf3VariableLayout>(n, StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            var v = h.Variables[i];
            int rank = v.DimensionIds.Length;
            var shape = new long[rank];
            var strides = new long[rank];
            long step = NetCdf3TypeInfo.Size(v.Type);
            for (int d = rank - 1; d >= 0; d--)
            {
                shape[d] = dims[v.DimensionIds[d]].Length;
                strides[d] = d == 0 && isRecord[i] ? recordSize : step;
                step *= shape[d]; // bounded by the slab size checked above (the record dimension comes last here)
            }

            var variable = new Variable(
                v.Name,
                NetCdf3TypeInfo.DataType(v.Type),
                v.DimensionIds.Select(id => dims[id].Name).ToArray(),
                shape,
                null,
                [],
                v.Attributes.Select(Attribute).ToList(),
                FillValue(v),
                v.Type == NetCdf3Type.Char ? VariableKind.Char : VariableKind.Numeric);
            variables.Add(variable);
            layouts.Add(v.Name, new NetCdf3VariableLayout(variable, v.Type, v.Begin, isRecord[i], slab[i], strides));
        }

        var root = new DatasetGroup("", "", dims, variables, h.Attributes.Select(Attribute).ToList(), []);
        return (root, layouts, recordSize);
    }

    /// <summary>numrecs is STREAMING: as many records as the file holds whole for every record variable.</summary>
    private long StreamingRecords(NetCdf3Header h, bool[] isRecord, long[] slab, long recordSize)
    {
        long records = long.MaxValue;
        bool any = false;
        for (int i = 0; i < isRecord.Length; i++)
        {
            if (!isRecord[i])
            {
                continue;
            }

            any = true;
            long end = Add(h.Variables[i].Begin, slab[i], $"the end of the first record of variable '{NetCdf3HeaderReader.Shown(h.Variables[i].Name)}'");
            records = Math.Min(records, end > FileLength ? 0 : ((FileLength - end) / recordSize) + 1);
        }

        return any ? records : 0;
    }

    /// <summary>
    /// Data lies after the header and inside the file; fixed-size variables do not overlap, and each
    /// record variable's slab fits in its place in the record, after all fixed-size data.
    /// </summary>
    private void CheckLayout(NetCdf3Header h, bool[] isRecord, long[] slab, long recordSize, long numRecs)
    {
        var fixedSpans = new List<(long Begin, long End, string Name)>();
        var recordSpans = new List<(long Begin, long End, string Name)>();
        for (int i = 0; i < isRecord.Length; i++)
        {
            var v = h.Variables[i];
            if (v.Begin < h.Length)
            {
                throw Error($"variable '{NetCdf3HeaderReader.Shown(v.Name)}' begins at byte {v.Begin}, inside the header (which ends at byte {h.Length}).");
            }

            long end = Add(v.Begin, slab[i], $"the end of variable '{NetCdf3HeaderReader.Shown(v.Name)}'");
            (isRecord[i] ? recordSpans : fixedSpans).Add((v.Begin, end, v.Name));
            long last = end;
            if (isRecord[i] && numRecs > 0)
            {
                last = Add(Multiply(numRecs - 1, recordSize, $"the offset of the last record of variable '{NetCdf3HeaderReader.Shown(v.Name)}'"), end, $"the end of variable '{NetCdf3HeaderReader.Shown(v.Name)}'");
            }

            if (last > FileLength && (!isRecord[i] || numRecs > 0))
            {
                string what = isRecord[i] ? $"{numRecs.ToString(CultureInfo.InvariantCulture)} record(s) of variable '{NetCdf3HeaderReader.Shown(v.Name)}' reach" : $"variable '{NetCdf3HeaderReader.Shown(v.Name)}' reaches";
                throw Error($"{what} byte {last}, but the file has only {FileLength} bytes; the file is truncated.");
            }
        }

        long fixedEnd = h.Length;
        foreach (var (begin, end, name) in fixedSpans.OrderBy(s => s.Begin))
        {
            if (begin < fixedEnd)
            {
                throw Error($"variable '{NetCdf3HeaderReader.Shown(name)}' begins at byte {begin}, inside the data before it (up to byte {fixedEnd}).");
            }

            fixedEnd = end;
        }

        if (recordSpans.Count == 0)
        {
            return;
        }

        recordSpans.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        long recordStart = recordSpans[0].Begin;
        if (recordStart < fixedEnd)
        {
            throw Error($"record variable '{NetCdf3HeaderReader.Shown(recordSpans[0].Name)}' begins at byte {recordStart}, inside the fixed-size data (up to byte {fixedEnd}).");
        }

        long recordEnd = Add(recordStart, recordSize, "the end of the first record");
        long previous = recordStart;
        foreach (var (begin, end, name) in recordSpans)
        {
            if (begin < previous || end > recordEnd)
            {
                throw Error($"record variable '{NetCdf3HeaderReader.Shown(name)}' occupies bytes {begin}..{end} of the first record, which spans bytes {recordStart}..{recordEnd}; record variables must follow each other inside the record without overlapping.");
            }

            previous = end;
        }
    }

    private static AttributeValue Attribute(NetCdf3Header.AttributeEntry a) => new(a.Name, NetCdf3TypeInfo.DecodeAttribute(a.Type, a.Raw));

    /// <summary>The _FillValue attribute as little-endian bytes of the variable's type, else NetCDF's default fill.</summary>
    private static byte[] FillValue(NetCdf3Header.VariableEntry v)
    {
        var fill = v.Attributes.FirstOrDefault(a => a.Name == "_FillValue");
        int size = NetCdf3TypeInfo.Size(v.Type);
        if (fill is null || fill.Raw.Length == 0)
        {
            return NetCdf3TypeInfo.DefaultFill(v.Type);
        }

        if (fill.Type == v.Type)
        {
            var bytes = fill.Raw.AsSpan(0, size).ToArray();
            bytes.AsSpan().Reverse();
            return bytes;
        }

        // a _FillValue of another numeric type: take it when the variable's type holds it exactly
        if (v.Type != NetCdf3Type.Char && fill.Type != NetCdf3Type.Char)
        {
            double value = new AttributeValue(fill.Name, NetCdf3TypeInfo.DecodeAttribute(fill.Type, fill.Raw)).AsDoubles()[0];
            if (Encode(v.Type, value) is { } encoded)
            {
                return encoded;
            }
        }

        return NetCdf3TypeInfo.DefaultFill(v.Type);
    }

    private static byte[]? Encode(NetCdf3Type type, double value)
    {
        var bytes = new byte[NetCdf3TypeInfo.Size(type)];
        bool integral = value == Math.Floor(value) && !double.IsInfinity(value);
        switch (type)
        {
            case NetCdf3Type.Float:
                if ((double)(float)value != value && !double.IsNaN(value))
                {
                    return null;
                }

                BinaryPrimitives.WriteSingleLittleEndian(bytes, (float)value);
                return bytes;
            case NetCdf3Type.Double:
                BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
                return bytes;
        }

        if (!integral)
        {
            return null;
        }

        (double min, double max) = type switch
        {
            NetCdf3Type.Byte => (sbyte.MinValue, sbyte.MaxValue),
            NetCdf3Type.UByte => (byte.MinValue, byte.MaxValue),
            NetCdf3Type.Short => (short.MinValue, short.MaxValue),
            NetCdf3Type.UShort => (ushort.MinValue, ushort.MaxValue),
            NetCdf3Type.Int => (int.MinValue, int.MaxValue),
            NetCdf3Type.UInt => (uint.MinValue, uint.MaxValue),
            NetCdf3Type.Int64 => (-9.2233720368547758e18, 9.2233720368547748e18),
            _ => (0, 1.8446744073709550e19),
        };
        if (value < min || value > max)
        {
            return null;
        }

        if (type == NetCdf3Type.UInt64)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)value);
        }
        else
        {
            long l = (long)value;
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)(l >> (8 * i));
            }
        }

        return bytes;
    }

    private long Multiply(long a, long b, string what)
    {
        try
        {
            return checked(a * b);
        }
        catch (OverflowException)
        {
            throw Error($"{what} overflows 64 bits ({a} × {b}); the header is damaged.");
        }
    }

    private long Add(long a, long b, string what)
    {
        try
        {
            return checked(a + b);
        }
        catch (OverflowException)
        {
            throw Error($"{what} overflows 64 bits ({a} + {b}); the header is damaged.");
        }
    }

    private SourceFormatException Error(string message) => new(Location, message);
}
