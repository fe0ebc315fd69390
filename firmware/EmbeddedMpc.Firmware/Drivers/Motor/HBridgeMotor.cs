using System.Device.Gpio;
using System.Device.Pwm;
using EmbeddedMpc.Core.Hardware;
using nanoFramework.Hardware.Esp32;

namespace EmbeddedMpc.Firmware.Drivers.Motor
{
    /// <summary>
    /// A PWM + direction H-bridge (one PWM input, one DIR input): the magnitude of the signed duty goes
    /// to the PWM pin's duty cycle, its sign to the DIR pin (HIGH drives the cart toward +x; the sign
    /// check in hardware/homing-and-calibration.md fixes the motor leads to match). Built with duty 0,
    /// so the motor stays off from the moment the firmware takes the pins. Allocates nothing per call.
    /// </summary>
    internal sealed class HBridgeMotor : IMotorDriver
    {
        private readonly PwmChannel _pwm;
        private readonly GpioPin _direction;
        private bool _towardPositive;

        /// <param name="gpio">The board's GPIO controller.</param>
        /// <param name="pwmPin">GPIO of the PWM input; mapped to <c>DeviceFunction.PWM1</c> here.</param>
        /// <param name="directionPin">GPIO of the DIR input.</param>
        /// <param name="frequencyHertz">PWM frequency, Hz; (0, 40000]. PWM1 and PWM2 share a timer.</param>
        /// <exception cref="System.InvalidOperationException">The PWM channel could not be created on <paramref name="pwmPin"/>.</exception>
        public HBridgeMotor(GpioController gpio, int pwmPin, int directionPin, int frequencyHertz)
        {
            _direction = gpio.OpenPin(directionPin, PinMode.Output);
            _direction.Write(PinValue.Low);
            _towardPositive = false;

            Configuration.SetPinFunction(pwmPin, DeviceFunction.PWM1);
            _pwm = PwmChannel.CreateFromPin(pwmPin, frequencyHertz, 0.0);
            if (_pwm == null)
            {
                throw new System.InvalidOperationException("No PWM channel on the motor PWM pin; check Configuration.SetPinFunction and the pin map.");
            }

            _pwm.DutyCycle = 0.0;
            _pwm.Start();
        }

        /// <summary>
        /// Applies <paramref name="signedDuty"/> in [-1, 1] (clamped; NaN gives 0). A change of direction
        /// sets the duty to 0 before switching DIR, so the bridge never sees full duty on the old direction
        /// with the new DIR level.
        /// </summary>
        public void SetDuty(float signedDuty)
        {
            // NaN fails both comparisons and ends up as 0.
            float magnitude = 0f;
            bool towardPositive = _towardPositive;
            if (signedDuty > 0f)
            {
                magnitude = signedDuty < 1f ? signedDuty : 1f;
                towardPositive = true;
            }
            else if (signedDuty < 0f)
            {
                magnitude = signedDuty > -1f ? -signedDuty : 1f;
                towardPositive = false;
            }

            if (towardPositive != _towardPositive)
            {
                _pwm.DutyCycle = 0.0;
                _direction.Write(towardPositive ? PinValue.High : PinValue.Low);
                _towardPositive = towardPositive;
            }

            _pwm.DutyCycle = magnitude;
        }
    }
}
