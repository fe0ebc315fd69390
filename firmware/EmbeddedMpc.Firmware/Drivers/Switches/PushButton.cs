using System.Device.Gpio;

namespace EmbeddedMpc.Firmware.Drivers.Switches
{
    /// <summary>
    /// A push button to GND with a pull-up (the rig's start button), sampled once per control tick:
    /// a press is reported once, when the button has read pressed on two consecutive samples after
    /// having read released on two consecutive samples. At 20 ms per sample this debounces contacts
    /// that bounce for up to 20 ms. No interrupt, no callback, no allocation.
    /// </summary>
    internal sealed class PushButton
    {
        private readonly GpioPin _pin;
        private bool _lastSamplePressed;
        private bool _stablePressed;

        /// <param name="gpio">The board's GPIO controller.</param>
        /// <param name="pin">GPIO of the button (pressed = LOW).</param>
        public PushButton(GpioController gpio, int pin)
        {
            _pin = gpio.OpenPin(pin, PinMode.InputPullUp);
            // A button held at start-up is not a press: the first stable release arms it.
            _lastSamplePressed = true;
            _stablePressed = true;
        }

        /// <summary>Samples the button; true once per press (on its debounced leading edge).</summary>
        public bool SamplePressed()
        {
            bool pressed = _pin.Read() == PinValue.Low;
            bool stableChange = pressed == _lastSamplePressed && pressed != _stablePressed;
            _lastSamplePressed = pressed;
            if (!stableChange)
            {
                return false;
            }

            _stablePressed = pressed;
            return pressed;
        }
    }
}
