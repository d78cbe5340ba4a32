using System.Text;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>The link message (0x06): a named hard, soft or external link. Only hard links lead to objects here.</summary>
internal static class LinkMessage
{
    private const int HardLink = 0;

    /// <summary>Decodes a link; returns null for soft, external and user-defined links (skipped).</summary>
    public static LinkEntry? Parse(Hdf5Storage storage, ReadOnlySpan<byte> body, string what)
    {
        var r = new FieldReader(body, storage, what + ", link message");
        int version = r.U8();
        if (version != 1)
        {
            throw r.Error($"link message version {version} is not supported.");
        }

        int flags = r.U8();
        int type = (flags & 0x08) != 0 ? r.U8() : HardLink;
        long order = (flags & 0x04) != 0 ? r.Count(8, "creation order") : -1;
        if ((flags & 0x10) != 0)
        {
            r.U8(); // character set of the name
        }

        long nameLength = r.Count(1 << (flags & 0x03), "link name length");
        int length = r.Bounded(nameLength, r.Remaining, "link name length");
        if (length == 0)
        {
            throw r.Error("a link has an empty name.");
        }

        string name = Encoding.UTF8.GetString(r.Bytes(length));
        if (type != HardLink)
        {
            return null;
        }

        return new LinkEntry(name, r.Offset(), order);
    }
}
