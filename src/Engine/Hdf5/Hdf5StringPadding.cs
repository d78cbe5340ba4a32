namespace ZarrPartition.Engine.Hdf5;

/// <summary>How a fixed-length string fills the bytes after its text.</summary>
public enum Hdf5StringPadding
{
    /// <summary>A NUL ends the text; the bytes after it are undefined.</summary>
    NullTerminate = 0,

    /// <summary>NULs fill the rest of the field (no terminator when the text fills it).</summary>
    NullPad = 1,

    /// <summary>Spaces fill the rest of the field (Fortran style).</summary>
    SpacePad = 2,
}
