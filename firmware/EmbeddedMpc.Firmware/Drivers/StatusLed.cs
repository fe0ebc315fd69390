using System.Device.Gpio;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.Firmware.Drivers
{
    /// <summary>
    /// The status LED (GPIO 2 to GND through 330 Ω), showing the supervisor's mode by its pattern,
    /// timed by the tick index (one tick = 20 ms):
    /// <code>
    ///   Idle                 blink 0.5 s on / 0.5 s off
    ///   Homing               blink 0.1 s on / 0.1 s off
    ///   Ready                on
    ///   SwingUp, Balance     flicker 40 ms on / 40 ms off
    ///   Fault                flash 0.1 s on / 0.9 s off
    /// </code>
    /// The pin is written only when its level changes. Allocates nothing per call.
    /// </summary>
    internal sealed class StatusLed
    {
        private readonly GpioPin _pin;
        private bool _on;

        /// <param name="gpio">The board's GPIO controller.</param>
        /// <param name="pin">GPIO of the LED (HIGH = lit).</param>
        public StatusLed(GpioController gpio, int pin)
        {
            _pin = gpio.OpenPin(pin, PinMode.Output);
            _pin.Write(PinValue.Low);
            _on = false;
        }

        /// <summary>Sets the LED for <paramref name="mode"/> at tick <paramref name="tickIndex"/>.</summary>
        public void Show(SupervisorMode mode, uint tickIndex)
        {
            bool on;
            switch (mode)
            {
                case SupervisorMode.Idle:
                    on = tickIndex % 50u < 25u;
                    break;
                case SupervisorMode.Homing:
                    on = tickIndex % 10u < 5u;
                    break;
                case SupervisorMode.Ready:
                    on = true;
                    break;
                case SupervisorMode.SwingUp:
                case SupervisorMode.Balance:
                    on = tickIndex % 4u < 2u;
                    break;
                default:
                    on = tickIndex % 50u < 5u;
                    break;
            }

            Set(on);
        }

        /// <summary>Turns the LED on or off.</summary>
        public void Set(bool on)
        {
            if (on != _on)
            {
                _pin.Write(on ? PinValue.High : PinValue.Low);
                _on = on;
            }
        }
    }
}
