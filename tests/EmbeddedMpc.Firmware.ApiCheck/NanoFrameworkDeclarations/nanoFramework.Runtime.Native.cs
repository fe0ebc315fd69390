// Declarations of the members of nanoFramework.Runtime.Native 1.7.11 that the firmware and the device tests
// use, with nanoFramework's own names and signatures. The package is not on NuGet, so the API check
// compiles against these, next to the real mscorlib.dll; FirmwareApiTests checks that none of these types
// is in that mscorlib and that the file is named after an assembly a device project references. Compiled
// only into the API check; the bodies never run.

namespace nanoFramework.Runtime.Native
{
    using System;

    public static class GC
    {
        public static uint Run(bool compactHeap) => throw new NotImplementedException();
    }
}
