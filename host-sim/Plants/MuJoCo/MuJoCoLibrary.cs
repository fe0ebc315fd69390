using System;
using System.Runtime.InteropServices;
using System.Text;

namespace EmbeddedMpc.HostSim.Plants.MuJoCo;

/// <summary>
/// MuJoCo's C library (Debian's libmujoco, version 2.2.2) reached through a handful of its exported
/// functions. Loaded once per process on first use; <see cref="TryGet"/> says why it cannot be used
/// (not installed, or another version, whose struct layout <see cref="MuJoCoLayout"/> does not know).
/// </summary>
public sealed class MuJoCoLibrary
{
    /// <summary>The Debian package that installs the library (and the unversioned libmujoco.so).</summary>
    public const string DebianPackage = "libmujoco-dev";

    /// <summary>The only version whose struct layout this project mirrors: mj_version() = 222.</summary>
    public const int SupportedVersion = 222;

    /// <summary>Environment variable naming the library file to load instead of the system's (e.g. a build of one's own).</summary>
    public const string LibraryPathVariable = "EMBEDDEDMPC_MUJOCO_LIBRARY";

    private static readonly string[] s_systemNames = ["libmujoco.so.2.2.2", "libmujoco.so", "mujoco"];
    private static readonly Lazy<(MuJoCoLibrary? Library, string? Error)> s_loaded = new(Load);

    // mj_loadXML is not documented as thread-safe in 2.2.2 (the compiler keeps global state): one at a time.
    private static readonly object s_loadLock = new();

    private MuJoCoLibrary(IntPtr handle)
    {
        LoadXml = Export<LoadXmlFunction>(handle, "mj_loadXML");
        MakeData = Export<ModelFunction>(handle, "mj_makeData");
        DeleteModel = Export<PointerAction>(handle, "mj_deleteModel");
        DeleteData = Export<PointerAction>(handle, "mj_deleteData");
        Step = Export<ModelDataAction>(handle, "mj_step");
        Forward = Export<ModelDataAction>(handle, "mj_forward");
        Version = Export<VersionFunction>(handle, "mj_version");
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate IntPtr LoadXmlFunction([MarshalAs(UnmanagedType.LPUTF8Str)] string fileName, IntPtr virtualFileSystem, [Out] byte[] error, int errorSize);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate IntPtr ModelFunction(IntPtr model);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void PointerAction(IntPtr pointer);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void ModelDataAction(IntPtr model, IntPtr data);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int VersionFunction();

    public LoadXmlFunction LoadXml { get; }

    public ModelFunction MakeData { get; }

    public PointerAction DeleteModel { get; }

    public PointerAction DeleteData { get; }

    public ModelDataAction Step { get; }

    public ModelDataAction Forward { get; }

    public VersionFunction Version { get; }

    /// <summary>The library, or null with <paramref name="error"/> saying what is missing and how to install it.</summary>
    internal static MuJoCoLibrary? TryGet(out string? error)
    {
        (MuJoCoLibrary? library, string? message) = s_loaded.Value;
        error = message;
        return library;
    }

    /// <summary>Compiles the MJCF file at <paramref name="path"/>; throws <see cref="ArgumentException"/> with MuJoCo's message if it fails.</summary>
    internal IntPtr LoadModel(string path)
    {
        var error = new byte[1000];
        IntPtr model;
        lock (s_loadLock)
        {
            model = LoadXml(path, IntPtr.Zero, error, error.Length);
        }

        if (model == IntPtr.Zero)
        {
            int length = Array.IndexOf(error, (byte)0);
            throw new ArgumentException($"MuJoCo could not load '{path}': {Encoding.UTF8.GetString(error, 0, length < 0 ? error.Length : length)}");
        }

        return model;
    }

    private static (MuJoCoLibrary?, string?) Load()
    {
        string? chosen = Environment.GetEnvironmentVariable(LibraryPathVariable);
        foreach (string name in string.IsNullOrEmpty(chosen) ? s_systemNames : [chosen])
        {
            if (!NativeLibrary.TryLoad(name, out IntPtr handle))
            {
                continue;
            }

            var library = new MuJoCoLibrary(handle);
            int version = library.Version();
            return version == SupportedVersion
                ? (library, null)
                : (null, $"the MuJoCo plant needs MuJoCo 2.2.2 (mj_version {SupportedVersion}); found {version} in {name}. Install Debian 12's {DebianPackage}.");
        }

        string where = string.IsNullOrEmpty(chosen) ? "libmujoco.so.2.2.2" : $"{chosen} (from {LibraryPathVariable})";
        return (null, $"the MuJoCo plant needs MuJoCo's C library, and {where} cannot be loaded: install the Debian package {DebianPackage} (apt-get install {DebianPackage}).");
    }

    private static T Export<T>(IntPtr handle, string name) where T : Delegate =>
        Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(handle, name));
}
