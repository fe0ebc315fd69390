using System.Device.Gpio;
using System.Threading;

namespace EmbeddedMpc.Firmware.Drivers.Switches
{
    /// <summary>
    /// The HIL mode strap (hardware/wiring.md, <see cref="PinMap.HilModeStrap"/>): a jumper from the pin
    /// to GND, read once at boot with the internal pull-up. Tied to GND selects HIL mode; open runs the
    /// rig. A stray short to GND can only select HIL mode, in which the real motor is never driven.
    /// </summary>
    internal static class ModeStrap
    {
        /// <summary>Samples taken, 1 ms apart; all must read LOW for HIL mode.</summary>
        public const int Samples = 3;

        /// <summary>Reads the strap on <paramref name="pin"/>: true when it is tied to GND. The pin is released afterwards.</summary>
        public static bool HilSelected(GpioController gpio, int pin)
        {
            GpioPin strap = gpio.OpenPin(pin, PinMode.InputPullUp);
            bool tiedLow = true;
            for (int i = 0; i < Samples; i++)
            {
                // The internal pull-up (about 45 kΩ) needs a moment to charge the pin and its wire.
                Thread.Sleep(1);
                if (strap.Read() != PinValue.Low)
                {
                    tiedLow = false;
                }
            }

            strap.Dispose();
            return tiedLow;
        }
    }
}
