// Declarations of the members of System.Device.Gpio 1.1.62 (nanoFramework.System.Device.Gpio) that the
// firmware uses, with nanoFramework's own names and signatures. The package is not on NuGet, so the API
// check compiles against these, next to the real mscorlib.dll; FirmwareApiTests checks that none of these
// types is in that mscorlib and that the file is named after an assembly a device project references.
// Compiled only into the API check; the bodies never run.

namespace System.Device.Gpio
{
    public sealed class GpioController : IDisposable
    {
        public GpioController() => throw new NotImplementedException();

        public GpioPin OpenPin(int pinNumber, PinMode mode) => throw new NotImplementedException();

        public void Dispose() => throw new NotImplementedException();
    }

    public sealed class GpioPin : IDisposable
    {
        private GpioPin()
        {
        }

        public PinValue Read() => throw new NotImplementedException();

        public void Write(PinValue value) => throw new NotImplementedException();

        public void Dispose() => throw new NotImplementedException();
    }

    public enum PinMode
    {
        InputPullUp = 2,
        Output = 3,
    }

    public struct PinValue
    {
        public static PinValue High => throw new NotImplementedException();

        public static PinValue Low => throw new NotImplementedException();

        public override bool Equals(object obj) => throw new NotImplementedException();

        public override int GetHashCode() => throw new NotImplementedException();

        public static bool operator ==(PinValue a, PinValue b) => throw new NotImplementedException();

        public static bool operator !=(PinValue a, PinValue b) => throw new NotImplementedException();
    }
}
