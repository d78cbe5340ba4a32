using System.Globalization;
using Microsoft.Win32.SafeHandles;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// The bytes of one open HDF5 file and the format parameters every structure is decoded with
/// (size of offsets and lengths, base address). All reads go through <see cref="RandomAccess"/> on
/// one handle, so any number of threads may read at once without sharing a stream position.
/// Every read is checked against the file's length; addresses are relative to the base address,
/// as stored in the file.
/// </summary>
internal sealed class Hdf5Storage : IDisposable
{
    /// <summary>How an undefined address ("all bits set" in the file) is represented after decoding.</summary>
    public const long Undefined = -1;

    private readonly SafeFileHandle handle;

    public Hdf5Storage(string path, bool verifyChecksums = true)
    {
        VerifyChecksums = verifyChecksums;
        Path = path;
        handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            FileLength = RandomAccess.GetLength(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public string Path { get; }

    public long FileLength { get; }

    /// <summary>Absolute position of the byte every stored address counts from (the superblock's position).</summary>
    public long BaseAddress { get; set; }

    public int OffsetSize { get; set; } = 8;

    public int LengthSize { get; set; } = 8;

    /// <summary>Verify the lookup3 checksums of version-2 metadata (always, except in tests that fuzz the parsers behind them).</summary>
    public bool VerifyChecksums { get; init; } = true;

    /// <summary>True when the block's trailing checksum matches, or checksums are not verified.</summary>
    public bool ChecksumOk(ReadOnlySpan<byte> block) => !VerifyChecksums || Lookup3.Verify(block);

    /// <summary>Bytes the file holds from <paramref name="address"/> to its end (0 when outside).</summary>
    public long BytesAfter(long address) => address < 0 || address > FileLength - BaseAddress ? 0 : FileLength - BaseAddress - address;

    public SourceFormatException Error(string message, Exception? inner = null) => new(Path, message, inner);

    public static string Hex(long address) => address < 0 ? "undefined" : "0x" + address.ToString("X", CultureInfo.InvariantCulture);

    /// <summary>Throws unless [address, address+length) lies inside the file.</summary>
    public void CheckRange(long address, long length, string what)
    {
        if (address == Undefined)
        {
            throw Error($"{what}: the address is undefined.");
        }

        if (address < 0 || length < 0 || length > BytesAfter(address))
        {
            throw Error($"{what} at {Hex(address)} ({length} bytes) lies beyond the end of the file ({FileLength} bytes); the file is truncated or damaged.");
        }
    }

    /// <summary>Reads exactly <c>buffer.Length</c> bytes at the (relative) <paramref name="address"/>.</summary>
    public void Read(long address, Span<byte> buffer, string what)
    {
        CheckRange(address, buffer.Length, what);
        long position = BaseAddress + address;
        int done = 0;
        try
        {
            while (done < buffer.Length)
            {
                int n = RandomAccess.Read(handle, buffer[done..], position + done);
                if (n <= 0)
                {
                    throw Error($"{what} at {Hex(address)}: the file ended early (it shrank while open?).");
                }

                done += n;
            }
        }
        catch (IOException e)
        {
            throw Error($"{what} at {Hex(address)}: I/O error: {e.Message}", e);
        }
    }

    /// <summary>Reads <paramref name="length"/> bytes into a new array (checked against the file first).</summary>
    public byte[] Read(long address, long length, string what)
    {
        CheckRange(address, length, what);
        if (length > Array.MaxLength)
        {
            throw Error($"{what} at {Hex(address)}: {length} bytes is too large to read at once.");
        }

        var buffer = GC.AllocateUninitializedArray<byte>((int)length);
        Read(address, buffer, what);
        return buffer;
    }

    /// <summary>Reads up to <paramref name="length"/> bytes, fewer when the file ends first (for speculative reads of headers).</summary>
    public byte[] ReadUpTo(long address, int length, string what)
    {
        CheckRange(address, 0, what);
        long available = BytesAfter(address);
        return Read(address, Math.Min(length, available), what);
    }

    public void Dispose() => handle.Dispose();
}
