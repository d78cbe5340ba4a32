using System.Globalization;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Operations;

/// <summary>Parses sizes such as "2GB", "512MB", "1.5GiB", "1048576" (powers of 1024, as PowerShell's 2GB).</summary>
public static class ByteSize
{
    public static long Parse(string? text, long defaultValue, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        var t = text.Trim().ToUpperInvariant().Replace("IB", "B", StringComparison.Ordinal);
        long unit = 1;
        foreach (var (suffix, factor) in new[] { ("TB", 1L << 40), ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10), ("T", 1L << 40), ("G", 1L << 30), ("M", 1L << 20), ("K", 1L << 10), ("B", 1L) })
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                unit = factor;
                t = t[..^suffix.Length].Trim();
                break;
            }
        }

        if (!double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double v) || v <= 0)
        {
            throw new ZarrPartitionException("InvalidByteSize", ErrorKind.InvalidArgument, option, $"{option} '{text}' is not a size; write e.g. 2GB, 512MB or a number of bytes.");
        }

        return (long)(v * unit);
    }

    /// <summary>A size for people: "512 B", "1.5 MiB", "2.0 GiB".</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double v = bytes;
        int u = 0;
        while (Math.Abs(v) >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }

        return u == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B") : string.Create(CultureInfo.InvariantCulture, $"{v:0.#} {units[u]}");
    }
}
