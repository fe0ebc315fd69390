// Declarations of the members of nanoFramework.Runtime.Native 1.7.11 that the firmware and the device
// tests use, written to match ../shared/reference/nanoframework-api/nanoFramework.Runtime.Native.txt line
// for line (FirmwareApiTests checks it). Compiled only into the API check; the bodies never run.

namespace nanoFramework.Runtime.Native
{
    using System;

    public static class GC
    {
        public static uint Run(bool compactHeap) => throw new NotImplementedException();
    }
}
