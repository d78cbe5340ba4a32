namespace ZarrPartition.Engine.Operations;

/// <summary>The outcome of a conversion. <see cref="Performed"/> is false under -WhatIf.</summary>
public sealed record ConvertResult(string Destination, int ZarrFormat, int Arrays, long Chunks, long BytesRead, long BytesWritten, double Seconds, bool Performed);
