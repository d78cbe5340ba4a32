namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// The pre-compression filter a Blosc1 frame applies to each block. The numeric values are the
/// ones c-blosc and numcodecs use (<c>Blosc.NOSHUFFLE</c>, <c>SHUFFLE</c>, <c>BITSHUFFLE</c>).
/// </summary>
public enum BloscShuffle
{
    /// <summary>Bytes are compressed as they are.</summary>
    NoShuffle = 0,

    /// <summary>Byte-wise transpose: all first bytes of the elements, then all second bytes, ...</summary>
    Shuffle = 1,

    /// <summary>Bit-wise transpose of the elements, in groups of eight elements.</summary>
    BitShuffle = 2,
}
