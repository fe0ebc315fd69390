// Declarations of the members of System.Device.Pwm 1.1.23 (nanoFramework.System.Device.Pwm) that the
// firmware uses, declared with nanoFramework's
// own names and signatures (the package is not on NuGet; FirmwareApiTests checks where each file belongs). Compiled only into the API check; the bodies never run.

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
