using System.Text;
using System.Text.Json.Nodes;

namespace ZarrPartition.Engine.Zarr;

/// <summary>
/// How chunk coordinates become store keys (relative to the array's path): v3 "default"
/// ("c/1/2", 0-d "c") or "v2" ("1.2", 0-d "0"); the separator is "/" or ".".
/// </summary>
public sealed record ChunkKeyEncoding(bool V2Style, char Separator)
{
    public static ChunkKeyEncoding V2Dot { get; } = new(true, '.');

    public static ChunkKeyEncoding V3Default { get; } = new(false, '/');

    public string Key(ReadOnlySpan<long> coords)
    {
        if (coords.Length == 0)
        {
            return V2Style ? "0" : "c";
        }

        var sb = new StringBuilder(V2Style ? 0 : 2 + coords.Length * 3);
        if (!V2Style)
        {
            sb.Append('c').Append(Separator);
        }

        for (int i = 0; i < coords.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(Separator);
            }

            sb.Append(coords[i]);
        }

        return sb.ToString();
    }

    public JsonObject ToV3Json() => new()
    {
        ["name"] = V2Style ? "v2" : "default",
        ["configuration"] = new JsonObject { ["separator"] = Separator.ToString() },
    };
}
