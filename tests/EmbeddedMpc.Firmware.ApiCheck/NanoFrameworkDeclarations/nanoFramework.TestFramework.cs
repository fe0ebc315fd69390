// Declarations of the members of nanoFramework.TestFramework 3.0.77 that the device tests use, declared with nanoFramework's
// own names and signatures (the package is not on NuGet; FirmwareApiTests checks where each file belongs). Compiled only into the API check; the bodies never run.

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
