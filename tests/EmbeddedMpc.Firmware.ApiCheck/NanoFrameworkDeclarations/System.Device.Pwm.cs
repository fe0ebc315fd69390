// Declarations of the members of System.Device.Pwm 1.1.23 (nanoFramework.System.Device.Pwm) that the
// firmware uses, with nanoFramework's own names and signatures. The package is not on NuGet, so the API
// check compiles against these, next to the real mscorlib.dll; FirmwareApiTests checks that none of these
// types is in that mscorlib and that the file is named after an assembly a device project references.
// Compiled only into the API check; the bodies never run.

namespace System.Device.Pwm
{
    public sealed class PwmChannel : IDisposable
    {
        private PwmChannel()
        {
        }

        public double DutyCycle
        {
            get => throw new NotImplementedException();
            set => throw new NotImplementedException();
        }

        public static PwmChannel CreateFromPin(int pin, int frequency = 400, double dutyCyclePercentage = 0.5) => throw new NotImplementedException();

        public void Dispose() => throw new NotImplementedException();

        public void Start() => throw new NotImplementedException();
    }
}
