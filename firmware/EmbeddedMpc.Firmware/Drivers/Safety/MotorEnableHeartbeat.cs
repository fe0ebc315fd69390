using System.Device.Gpio;

namespace EmbeddedMpc.Firmware.Drivers.Safety
{
    /// <summary>
    /// The heartbeat that keeps the H-bridge enabled (hardware/wiring.md, "Heartbeat enable"): a
    /// retriggerable monostable (74HC123, about 45 ms) holds the bridge's PWM gate open only while rising
    /// edges keep arriving on this pin, so the motor runs only while the control loop does. The control
    /// thread calls <see cref="Pulse"/> once per tick, and only on ticks where the supervisor drives the
    /// motor (Homing, SwingUp, Balance). When managed code stops without running any more of it (a
    /// debugger break, a deploy, a soft reboot, a hung or dead thread, an exception), the pin keeps a
    /// static level, no edge comes, and the monostable disables the bridge within its pulse time: the
    /// ESP32's PWM and DIR outputs keep their last level in those cases, so this is the only thing that
    /// stops the motor then. The pin is driven LOW at construction (its 10 kΩ pull-down holds it LOW
    /// before that, through reset and boot). Allocates nothing per call.
    /// </summary>
    internal sealed class MotorEnableHeartbeat
    {
        private readonly GpioPin _pin;

        /// <param name="gpio">The board's GPIO controller.</param>
        /// <param name="pin">GPIO of the heartbeat output (<see cref="PinMap.MotorEnableHeartbeat"/>).</param>
        public MotorEnableHeartbeat(GpioController gpio, int pin)
        {
            _pin = gpio.OpenPin(pin, PinMode.Output);
            _pin.Write(PinValue.Low);
        }

        /// <summary>
        /// One heartbeat: a short HIGH pulse (two GPIO writes, some tens of µs on the interpreter; the
        /// monostable needs 20 ns). Its rising edge restarts the monostable's hold time. The pin is LOW
        /// again when this returns, so a stop anywhere leaves a static level.
        /// </summary>
        public void Pulse()
        {
            _pin.Write(PinValue.High);
            _pin.Write(PinValue.Low);
        }
    }
}
