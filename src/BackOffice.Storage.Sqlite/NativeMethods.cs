using System.Runtime.InteropServices;

namespace BackOffice.Storage.Sqlite;

/// <summary>
/// The few SQLite functions the bulk insert (and the bulk reads of the balance projection and of the lot rules' trades) calls directly, in the library SQLitePCL already loaded
/// (e_sqlite3, shipped with Microsoft.Data.Sqlite). Binding and resetting are short calls that
/// never call back into .NET (text and blobs are copied by SQLite), so they skip the GC transition;
/// stepping does real work (page writes) and keeps it.
/// </summary>
internal static unsafe partial class NativeMethods
{
    private const string Library = "e_sqlite3";

    /// <summary>SQLITE_TRANSIENT: SQLite copies bound text and blobs before the call returns.</summary>
    public static readonly IntPtr Transient = new(-1);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    internal static partial int sqlite3_bind_int64(IntPtr statement, int index, long value);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    internal static partial int sqlite3_bind_null(IntPtr statement, int index);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    internal static partial int sqlite3_bind_text(IntPtr statement, int index, byte* text, int length, IntPtr destructor);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    internal static partial int sqlite3_bind_blob(IntPtr statement, int index, byte* data, int length, IntPtr destructor);

    [LibraryImport(Library)]
    internal static partial int sqlite3_step(IntPtr statement);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    internal static partial int sqlite3_reset(IntPtr statement);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    internal static partial long sqlite3_column_int64(IntPtr statement, int column);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    internal static partial byte* sqlite3_column_text(IntPtr statement, int column);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    internal static partial int sqlite3_column_bytes(IntPtr statement, int column);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    internal static partial int sqlite3_column_type(IntPtr statement, int column);

    /// <summary>glibc: returns the free memory at the top of the C heap (and in whole free pages) to the system.</summary>
    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    internal static partial int malloc_trim(nuint pad);

    /// <summary>
    /// Registers <paramref name="callback"/> to run after each commit on <paramref name="database"/>
    /// with the number of frames in the WAL (SQLite's own automatic checkpoint uses this hook; a
    /// registration replaces it).
    /// </summary>
    [LibraryImport(Library)]
    internal static partial IntPtr sqlite3_wal_hook(IntPtr database, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, byte*, int, int> callback, IntPtr argument);
}
