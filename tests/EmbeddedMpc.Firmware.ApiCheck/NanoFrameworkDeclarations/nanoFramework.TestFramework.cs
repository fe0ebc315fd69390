// Declarations of the members of nanoFramework.TestFramework 3.0.77 that the device tests use, with
// nanoFramework's own names and signatures. The package is not on NuGet, so the API check compiles against
// these, next to the real mscorlib.dll; FirmwareApiTests checks that none of these types is in that
// mscorlib and that the file is named after an assembly a device project references. Compiled only into the
// API check; the bodies never run.

namespace nanoFramework.TestFramework
{
    using System;

    public sealed class Assert
    {
        public static void AreEqual(int expected, int actual, string message = "") => throw new NotImplementedException();

        public static void AreEqual(float expected, float actual, string message = "") => throw new NotImplementedException();

        public static void AreEqual(uint expected, uint actual, string message = "") => throw new NotImplementedException();

        public static void IsFalse(bool condition, string message = "") => throw new NotImplementedException();

        public static void IsTrue(bool condition, string message = "") => throw new NotImplementedException();
    }

    public class TestClassAttribute : Attribute
    {
    }

    public class TestMethodAttribute : Attribute
    {
    }
}
