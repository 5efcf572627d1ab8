namespace BackOffice.Application.Records;

/// <summary>
/// The files of one records bundle, by path relative to its root ('/' separated). The host gives
/// a folder on disk; tests may give anything else. Exporting writes through it; verifying only reads.
/// </summary>
public interface IBundleFiles
{
    /// <summary>Every file under the root, as relative paths, in ordinal order.</summary>
    IReadOnlyList<string> List();

    /// <summary>True when the file exists.</summary>
    bool Exists(string path);

    /// <summary>Opens a file for reading.</summary>
    Stream OpenRead(string path);

    /// <summary>Creates (or replaces) a file, creating its folders.</summary>
    Stream Create(string path);
}
