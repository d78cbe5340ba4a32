using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// The v3 "transpose" codec: the encoded array's axis i is the input's axis Order[i].
/// v2's order "F" is the reversing permutation.
/// </summary>
public sealed class TransposeCodec : IArrayToArrayCodec
{
    public TransposeCodec(int[] order)
    {
        var seen = new bool[order.Length];
        foreach (var o in order)
        {
            if (o < 0 || o >= order.Length || seen[o])
            {
                throw new CodecException("transpose", "InvalidCodecConfiguration", ErrorKind.InvalidData, $"order [{string.Join(",", order)}] is not a permutation of 0..{order.Length - 1}.");
            }

            seen[o] = true;
        }

        Order = order;
    }

    public int[] Order { get; }

    public string Name => "transpose";

    public static TransposeCodec Reversed(int rank) => new(Enumerable.Range(0, rank).Reverse().ToArray());

    public ChunkSpec EncodedSpec(ChunkSpec input)
    {
        CheckRank(input.Shape.Length);
        return input with { Shape = Order.Select(o => input.Shape[o]).ToArray() };
    }

    public byte[] Encode(byte[] data, ChunkSpec input)
    {
        CheckRank(input.Shape.Length);
        return Permute(data, input.Shape, Order, input.DataType.Size);
    }

    public byte[] Decode(byte[] data, ChunkSpec input)
    {
        CheckRank(input.Shape.Length);
        var encodedShape = Order.Select(o => input.Shape[o]).ToArray();
        var inverse = new int[Order.Length];
        for (int i = 0; i < Order.Length; i++)
        {
            inverse[Order[i]] = i;
        }

        return Permute(data, encodedShape, inverse, input.DataType.Size);
    }

    /// <summary>Returns the array whose axis i is the input's axis perm[i].</summary>
    internal static byte[] Permute(byte[] data, int[] shape, int[] perm, int elem)
    {
        if (shape.Length <= 1)
        {
            return data;
        }

        // Elements of 2, 4 or 8 bytes move as one integer each, single bytes as themselves, other sizes as runs of elem bytes.
        var result = new byte[data.Length];
        switch (elem)
        {
            case 2:
                PermuteElements(MemoryMarshal.Cast<byte, ushort>(data), MemoryMarshal.Cast<byte, ushort>(result.AsSpan()), shape, perm, 1);
                break;
            case 4:
                PermuteElements(MemoryMarshal.Cast<byte, uint>(data), MemoryMarshal.Cast<byte, uint>(result.AsSpan()), shape, perm, 1);
                break;
            case 8:
                PermuteElements(MemoryMarshal.Cast<byte, ulong>(data), MemoryMarshal.Cast<byte, ulong>(result.AsSpan()), shape, perm, 1);
                break;
            default:
                PermuteElements<byte>(data, result, shape, perm, elem);
                break;
        }

        return result;
    }

    /// <summary>Permutes elements of <paramref name="unit"/> values of T each (C order in and out).</summary>
    private static void PermuteElements<T>(ReadOnlySpan<T> src, Span<T> dst, int[] shape, int[] perm, int unit)
    {
        int rank = shape.Length;
        var outShape = perm.Select(p => shape[p]).ToArray();
        var inStrides = new long[rank];
        long s = unit;
        for (int d = rank - 1; d >= 0; d--)
        {
            inStrides[d] = s;
            s *= shape[d];
        }

        // stride in the input for each output axis
        var strideOut = perm.Select(p => inStrides[p]).ToArray();
        var idx = new int[rank];
        long total = src.Length / unit;
        int rowLength = outShape[rank - 1];
        long step = strideOut[rank - 1];
        long inOffset = 0;

        // one output row (the last output axis) at a time, then the other axes advance like an odometer
        for (long n = 0; n < total; n += rowLength)
        {
            long from = inOffset;
            if (unit == 1)
            {
                Span<T> row = dst.Slice((int)n, rowLength);
                for (int i = 0; i < row.Length; i++, from += step)
                {
                    row[i] = src[(int)from];
                }
            }
            else
            {
                for (int i = 0; i < rowLength; i++, from += step)
                {
                    src.Slice((int)from, unit).CopyTo(dst.Slice((int)((n + i) * unit), unit));
                }
            }

            for (int d = rank - 2; d >= 0; d--)
            {
                idx[d]++;
                inOffset += strideOut[d];
                if (idx[d] < outShape[d])
                {
                    break;
                }

                inOffset -= strideOut[d] * idx[d];
                idx[d] = 0;
            }
        }
    }

    private void CheckRank(int rank)
    {
        if (rank != Order.Length)
        {
            throw new CodecException("transpose", "InvalidCodecConfiguration", ErrorKind.InvalidData, $"order has {Order.Length} axes but the array has {rank}.");
        }
    }

    public JsonObject ToV3Json() => new()
    {
        ["name"] = "transpose",
        ["configuration"] = new JsonObject { ["order"] = new JsonArray(Order.Select(o => (JsonNode)o).ToArray()) },
    };
}
