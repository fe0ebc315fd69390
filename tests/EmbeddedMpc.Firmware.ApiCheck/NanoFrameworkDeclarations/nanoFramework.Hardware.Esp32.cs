// Declarations of the members of nanoFramework.Hardware.Esp32 1.6.42 that the firmware uses (the assembly
// also adds the pulse counter to namespace System.Device.Gpio), with nanoFramework's own names and
// signatures. The package is not on NuGet, so the API check compiles against these, next to the real
// mscorlib.dll; FirmwareApiTests checks that none of these types is in that mscorlib and that the file is
// named after an assembly a device project references. Compiled only into the API check; the bodies never
// run.

namespace System.Device.Gpio
{
    public struct GpioPulseCount
    {
        public long Count;
    }

    public sealed class GpioPulseCounter : IDisposable
    {
        public GpioPulseCounter(int pinNumberA, int pinNumberB = -1) => throw new NotImplementedException();

        public ushort FilterPulses
        {
            get => throw new NotImplementedException();
            set => throw new NotImplementedException();
        }

        public GpioPulsePolarity Polarity
        {
            get => throw new NotImplementedException();
            set => throw new NotImplementedException();
        }

        public void Dispose() => throw new NotImplementedException();

        public GpioPulseCount Read() => throw new NotImplementedException();

        public void Start() => throw new NotImplementedException();
    }

    public enum GpioPulsePolarity
    {
        Falling = 1,
    }
}

namespace nanoFramework.Hardware.Esp32
{
    using System;

    public class Configuration
    {
        public static void SetPinFunction(int gpioNumber, DeviceFunction function) => throw new NotImplementedException();
    }

    public enum DeviceFunction
    {
        COM2_TX = 197120,
        COM2_RX = 197121,
        PWM1 = 262400,
    }

    public class HighResTimer : IDisposable
    {
        public void Dispose() => throw new NotImplementedException();

        public static ulong GetCurrent() => throw new NotImplementedException();
    }
}
