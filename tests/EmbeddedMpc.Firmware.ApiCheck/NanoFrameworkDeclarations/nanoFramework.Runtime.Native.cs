// Declarations of the members of nanoFramework.Runtime.Native 1.7.11 that the firmware and the device
// tests use, declared with nanoFramework's
// own names and signatures (the package is not on NuGet; FirmwareApiTests checks where each file belongs). Compiled only into the API check; the bodies never run.

namespace nanoFramework.Runtime.Native
{
    using System;

    public static class GC
    {
        public static uint Run(bool compactHeap) => throw new NotImplementedException();
    }
}
