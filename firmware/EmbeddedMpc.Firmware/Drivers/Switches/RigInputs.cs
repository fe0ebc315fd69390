using System.Device.Gpio;

namespace EmbeddedMpc.Firmware.Drivers.Switches
{
    /// <summary>
    /// The rig's safety inputs: both limit switches and the E-stop sense contact. Each is a normally
    /// closed contact to GND with a pull-up (10 kΩ external plus the internal one of
    /// <see cref="PinMode.InputPullUp"/>) and an RC filter (hardware/wiring.md, "Limit switches and
    /// E-stop sense"). LOW means the contact is closed: healthy. HIGH means tripped, pressed, or the
    /// wire is cut, and is reported as tripped: a broken wire must stop the rig.
    /// </summary>
    internal sealed class RigInputs
    {
        private readonly GpioPin _negativeLimit;
        private readonly GpioPin _positiveLimit;
        private readonly GpioPin _emergencyStop;

        /// <param name="gpio">The board's GPIO controller.</param>
        /// <param name="negativeLimitPin">GPIO of the -x (left) limit switch.</param>
        /// <param name="positiveLimitPin">GPIO of the +x (right) limit switch.</param>
        /// <param name="emergencyStopPin">GPIO of the E-stop sense contact.</param>
        public RigInputs(GpioController gpio, int negativeLimitPin, int positiveLimitPin, int emergencyStopPin)
        {
            _negativeLimit = gpio.OpenPin(negativeLimitPin, PinMode.InputPullUp);
            _positiveLimit = gpio.OpenPin(positiveLimitPin, PinMode.InputPullUp);
            _emergencyStop = gpio.OpenPin(emergencyStopPin, PinMode.InputPullUp);
        }

        /// <summary>True when the -x limit switch is open (tripped or cut).</summary>
        public bool NegativeLimitTripped => _negativeLimit.Read() == PinValue.High;

        /// <summary>True when the +x limit switch is open (tripped or cut).</summary>
        public bool PositiveLimitTripped => _positiveLimit.Read() == PinValue.High;

        /// <summary>True when the E-stop sense contact is open (E-stop pressed or cut).</summary>
        public bool EmergencyStopPressed => _emergencyStop.Read() == PinValue.High;
    }
}
