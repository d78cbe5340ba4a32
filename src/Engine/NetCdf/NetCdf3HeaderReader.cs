using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Microsoft.Win32.SafeHandles;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.NetCdf;

/// <summary>
/// A forward cursor over the header of a NetCDF-3 file. It reads the file on demand into a buffer that
/// grows only as far as the header really reaches, and checks every length against the bytes the file
/// still has before it takes or allocates anything, so a damaged count fails here, not in an allocation.
/// </summary>
internal sealed class NetCdf3HeaderReader
{
    private const int FirstRead = 64 * 1024;

    /// <summary>Far beyond any real header (thousands of variables with long attributes), and a bound on what a damaged count can make us read.</summary>
    public const int MaxHeaderBytes = 512 * 1024 * 1024;

    private readonly SafeFileHandle _handle;
    private byte[] _buffer = [];
    private int _filled;

    public NetCdf3HeaderReader(SafeFileHandle handle, string path, long fileLength)
    {
        _handle = handle;
        Path = path;
        FileLength = fileLength;
    }

    public string Path { get; }

    public long FileLength { get; }

    /// <summary>Where the next field starts, in bytes from the start of the file.</summary>
    public long Position { get; private set; }

    /// <summary>CDF-5: counts, lengths, dimension ids and sizes are 64-bit.</summary>
    public bool WideCounts { get; set; }

    /// <summary>CDF-2 and CDF-5: variable offsets are 64-bit.</summary>
    public bool WideOffsets { get; set; }

    /// <summary>Bytes after the cursor that the header may still use: the rest of the file, at most up to <see cref="MaxHeaderBytes"/>.</summary>
    public long Remaining => Math.Min(FileLength, MaxHeaderBytes) - Position;

    /// <summary>Size of a count field (nelems, lengths, dimension ids, vsize) in this format.</summary>
    public int CountSize => WideCounts ? 8 : 4;

    public SourceFormatException Error(string message) => new(Path, message);

    public ReadOnlySpan<byte> Take(long n, string what)
    {
        Ensure(n, what);
        var span = _buffer.AsSpan((int)Position, (int)n);
        Position += n;
        return span;
    }

    /// <summary>A 32-bit big-endian integer: a list tag or a type tag.</summary>
    public int ReadInt32(string what) => BinaryPrimitives.ReadInt32BigEndian(Take(4, what));

    /// <summary>A non-negative count or length: 32-bit unsigned in CDF-1/2, 64-bit non-negative in CDF-5.</summary>
    public long ReadCount(string what)
    {
        long at = Position;
        if (!WideCounts)
        {
            return BinaryPrimitives.ReadUInt32BigEndian(Take(4, what));
        }

        long value = BinaryPrimitives.ReadInt64BigEndian(Take(8, what));
        if (value < 0)
        {
            throw Error($"{what} at byte {at} is negative ({value}).");
        }

        return value;
    }

    /// <summary>A field whose value we do not use (vsize): read past it without judging it.</summary>
    public void SkipCount(string what) => Take(CountSize, what);

    /// <summary>A variable's begin: 32-bit unsigned in CDF-1, 64-bit non-negative in CDF-2 and CDF-5.</summary>
    public long ReadOffset(string what)
    {
        long at = Position;
        if (!WideOffsets)
        {
            return BinaryPrimitives.ReadUInt32BigEndian(Take(4, what));
        }

        long value = BinaryPrimitives.ReadInt64BigEndian(Take(8, what));
        if (value < 0)
        {
            throw Error($"{what} at byte {at} is negative ({value}).");
        }

        return value;
    }

    /// <summary>
    /// <paramref name="count"/> values of <paramref name="size"/> bytes each, then the padding to the next
    /// multiple of four. The count is checked against what is left of the file first.
    /// </summary>
    public ReadOnlySpan<byte> ReadValues(long count, int size, string what)
    {
        long at = Position;
        if (count > Remaining / size)
        {
            string claim = size == 1 ? $"{count.ToString(CultureInfo.InvariantCulture)} bytes" : $"{count.ToString(CultureInfo.InvariantCulture)} values of {size} bytes";
            throw Error($"{what} at byte {at} claims {claim}, more than the {Remaining} bytes the header can still hold.");
        }

        long bytes = count * size;
        var values = Take(bytes, what);
        long pad = (4 - (bytes & 3)) & 3;
        if (pad > 0)
        {
            Take(pad, what + " (padding)");
        }

        return values;
    }

    /// <summary>
    /// A name: its length, its bytes and padding. UTF-8 as the format prescribes; bytes that are not UTF-8
    /// (old writers allowed any) are kept one character each. Control characters are never part of a name.
    /// </summary>
    public string ReadName(string what)
    {
        long at = Position;
        long length = ReadCount($"the length of {what}");
        if (length == 0)
        {
            throw Error($"{what} at byte {at} is empty; NetCDF names have at least one character.");
        }

        var bytes = ReadValues(length, 1, what);
        string name = Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
        if (name.Any(char.IsControl))
        {
            throw Error($"{what} at byte {at} ('{Shown(name)}') contains control characters, which NetCDF names cannot.");
        }

        return name;
    }

    /// <summary>A name as error messages show it: long (damaged) names cut short, control characters escaped.</summary>
    public static string Shown(string name)
    {
        var escaped = string.Concat(name.Take(65).Select(c => char.IsControl(c) ? $"\\x{(int)c:X2}" : c.ToString()));
        return escaped.Length <= 64 ? escaped : escaped[..60] + "...";
    }

    /// <summary>Checks that a list of <paramref name="count"/> entries of at least <paramref name="minEntryBytes"/> each can fit in the file.</summary>
    public void CheckListFits(long count, int minEntryBytes, string what, long at)
    {
        if (count > Remaining / minEntryBytes)
        {
            throw Error($"{what} at byte {at} claims {count.ToString(CultureInfo.InvariantCulture)} entries; the {Remaining} bytes the header can still hold fit at most {Remaining / minEntryBytes}.");
        }
    }

    private void Ensure(long n, string what)
    {
        if (n > FileLength - Position)
        {
            throw Error($"the file ends (at byte {FileLength}) inside {what}, which starts at byte {Position} and needs {n} bytes; the header is truncated or damaged.");
        }

        if (n > MaxHeaderBytes - Position)
        {
            throw Error($"{what} at byte {Position} needs {n} bytes, which would make the header longer than {MaxHeaderBytes} bytes; this reader does not support such headers (the header is probably damaged).");
        }

        long need = Position + n;
        if (need <= _filled)
        {
            return;
        }

        long target = Math.Min(Math.Min(FileLength, MaxHeaderBytes), Math.Max(need, Math.Max(FirstRead, (long)_filled * 2)));
        var grown = new byte[target];
        _buffer.AsSpan(0, _filled).CopyTo(grown);
        int got = _filled;
        try
        {
            while (got < target)
            {
                int n2 = RandomAccess.Read(_handle, grown.AsSpan(got), got);
                if (n2 == 0)
                {
                    break;
                }

                got += n2;
            }
        }
        catch (IOException e)
        {
            throw new ZarrPartitionException("SourceReadFailed", ErrorKind.ReadError, Path, $"'{Path}': reading the header failed: {e.Message}", e);
        }

        _buffer = grown;
        _filled = got;
        if (need > _filled)
        {
            throw Error($"the file ends (at byte {_filled}) inside {what}, which starts at byte {Position}; the file shrank while it was being opened.");
        }
    }
}
