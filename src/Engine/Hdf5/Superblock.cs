namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// The superblock (format levels 0A): where the file starts (the signature may follow a user block
/// at 512, 1024, 2048, ... bytes), the size of addresses and lengths, and the root group's object
/// header. Versions 0 and 1 describe the root through a symbol-table entry; versions 2 and 3 point
/// at its object header directly and carry a checksum.
/// </summary>
internal sealed class Superblock
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'H', (byte)'D', (byte)'F', (byte)'\r', (byte)'\n', 0x1A, (byte)'\n'];

    private Superblock(int version, long rootAddress)
    {
        Version = version;
        RootObjectHeader = rootAddress;
    }

    public int Version { get; }

    /// <summary>Address of the root group's object header (relative to the base address).</summary>
    public long RootObjectHeader { get; }

    /// <summary>Finds and decodes the superblock; sets the storage's base address and field sizes.</summary>
    public static Superblock Read(Hdf5Storage storage)
    {
        long at = FindSignature(storage);
        storage.BaseAddress = at;
        var bytes = storage.ReadUpTo(0, 256, "superblock");
        var r = new FieldReader(bytes, storage, $"superblock at byte {at}");
        r.Skip(8);
        int version = r.U8();
        switch (version)
        {
            case 0:
            case 1:
                {
                    r.Skip(4); // free-space, root symbol table entry and shared-header versions, reserved
                    SetSizes(storage, ref r, r.U8(), r.U8());
                    r.Skip(1);
                    r.Skip(4); // group leaf and internal node K
                    r.Skip(4); // file consistency flags
                    if (version == 1)
                    {
                        r.Skip(4); // indexed storage internal node K, reserved
                    }

                    r.Offset(); // base address: we use where the signature was found, as the HDF5 library does
                    r.Offset(); // free-space info
                    r.Offset(); // end of file
                    r.Offset(); // driver information block
                    // root group symbol table entry: link name offset, object header address, cache type, reserved, scratch
                    r.Offset();
                    long root = r.Offset();
                    return new Superblock(version, root);
                }

            case 2:
            case 3:
                {
                    SetSizes(storage, ref r, r.U8(), r.U8());
                    r.Skip(1); // file consistency flags
                    r.Offset(); // base address
                    r.Offset(); // superblock extension
                    r.Offset(); // end of file
                    long root = r.Offset();
                    int checksummed = r.Position;
                    r.Skip(4);
                    if (!storage.ChecksumOk(bytes.AsSpan(0, checksummed + 4)))
                    {
                        throw r.Error("the superblock checksum does not match; the file is damaged.");
                    }

                    return new Superblock(version, root);
                }

            default:
                throw r.Error($"superblock version {version} is not supported (known: 0-3).");
        }
    }

    private static void SetSizes(Hdf5Storage storage, ref FieldReader r, int offsets, int lengths)
    {
        if (offsets is not (2 or 4 or 8) || lengths is not (2 or 4 or 8))
        {
            throw r.Error($"size of offsets {offsets} / size of lengths {lengths} is not valid (2, 4 or 8).");
        }

        storage.OffsetSize = offsets;
        storage.LengthSize = lengths;
    }

    private static long FindSignature(Hdf5Storage storage)
    {
        Span<byte> probe = stackalloc byte[8];
        for (long at = 0; at <= storage.FileLength - 8; at = at == 0 ? 512 : at * 2)
        {
            storage.Read(at, probe, "file signature");
            if (probe.SequenceEqual(Signature))
            {
                return at;
            }
        }

        throw storage.Error("not an HDF5 file: no HDF5 signature at byte 0, 512, 1024, ... .");
    }
}
