namespace ZarrPartition.Engine.Datasets;

/// <summary>Numeric data (fixed-size elements), NetCDF characters (NC_CHAR, one byte each) or variable-length strings (NC_STRING).</summary>
public enum VariableKind
{
    Numeric,
    Char,
    String,
}
