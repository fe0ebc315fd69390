// Declarations of the members of System.IO.FileSystem 1.1.87 (nanoFramework.System.IO.FileSystem) that the firmware
// uses, with nanoFramework's own names and signatures. The package is not on NuGet, so the API check compiles
// against these, next to the real mscorlib.dll; FirmwareApiTests checks that none of these types is in that
// mscorlib and that the file is named after an assembly a device project references. Compiled only into the API
// check; the bodies never run.

namespace System.IO
{
    public static class File
    {
        public static bool Exists(string path) => throw new NotImplementedException();

        public static byte[] ReadAllBytes(string path) => throw new NotImplementedException();

        public static void WriteAllBytes(string path, byte[] bytes) => throw new NotImplementedException();
    }
}
