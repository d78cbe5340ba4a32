namespace ZarrPartition.Engine.Hdf5;

/// <summary>The HDF5 datatype classes, in the order (and with the numbers) the file format uses.</summary>
public enum Hdf5TypeClass
{
    FixedPoint = 0,
    FloatingPoint = 1,
    Time = 2,
    String = 3,
    Bitfield = 4,
    Opaque = 5,
    Compound = 6,
    Reference = 7,
    Enum = 8,
    VariableLength = 9,
    Array = 10,
}
