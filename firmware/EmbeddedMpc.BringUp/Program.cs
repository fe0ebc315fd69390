using System;
using System.Device.Gpio;
using System.Threading;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Firmware;
using EmbeddedMpc.Firmware.Drivers.Encoders;
using EmbeddedMpc.Firmware.Drivers.Motor;
using EmbeddedMpc.Firmware.Drivers.Switches;

namespace EmbeddedMpc.BringUp
{
    /// <summary>
    /// Motor and encoder bring-up on the rig, with the firmware's own drivers and pin map
    /// (firmware/EmbeddedMpc.Firmware/README.md, "Bringing up the motor and encoders"):
    /// <list type="number">
    /// <item>motor off, 15 s: every 250 ms the encoder counts and the switch states (move the cart and the
    /// pole by hand, press each limit switch and the E-stop);</item>
    /// <item>after a press of the BOOT button: fixed duties of ±<see cref="LowDuty"/> and ±<see cref="HighDuty"/>,
    /// <see cref="PeriodsPerDuty"/> control periods each with the motor off in between, printing the cart and
    /// pole counts gained in each 20 ms period; any limit switch, the E-stop, or the cart more than
    /// <see cref="MaxTravelMeters"/> from where it started stops the motor at once and ends the test.</item>
    /// </list>
    /// Printed with <c>Console.WriteLine</c> to the debugger's output; the counts of a run are printed after
    /// it, not during, so that printing does not disturb the 20 ms grid.
    /// </summary>
    public static class Program
    {
        private const float LowDuty = 0.15f;
        private const float HighDuty = 0.3f;
        private const int PeriodsPerDuty = 15;
        private const float MaxTravelMeters = 0.12f;

        /// <summary>Entry point.</summary>
        public static void Main()
        {
            var gpio = new GpioController();
            var motor = new HBridgeMotor(gpio, PinMap.MotorPwm, PinMap.MotorDirection, FirmwareSettings.MotorPwmFrequencyHertz);
            var clock = new Esp32Clock();
            var cart = new QuadratureEncoder(PinMap.CartEncoderA, PinMap.CartEncoderB, FirmwareSettings.EncoderGlitchFilter);
            var pole = new QuadratureEncoder(PinMap.PoleEncoderA, PinMap.PoleEncoderB, FirmwareSettings.EncoderGlitchFilter);
            var inputs = new RigInputs(gpio, PinMap.NegativeLimitSwitch, PinMap.PositiveLimitSwitch, PinMap.EmergencyStopSense);
            var button = new PushButton(gpio, PinMap.StartButton);

            Console.WriteLine("EmbeddedMpc bring-up. Motor off. Move the cart and the pole by hand, press each limit switch and the E-stop.");
            for (int i = 0; i < 60; i++)
            {
                Console.WriteLine("cart " + cart.ReadCount().ToString() + "  pole " + pole.ReadCount().ToString() + "  " + Switches(inputs));
                Thread.Sleep(250);
            }

            Console.WriteLine("Centre the cart, let the pole hang, keep a hand on the E-stop, then press BOOT to run the fixed duties.");
            while (!button.SamplePressed())
            {
                Thread.Sleep(20);
            }

            float cartCountsPerMeter = RigProfiles.Esp32Rig().CartCountsPerMeter * FirmwareSettings.EncoderCountsPerQuadratureCycle / 4f;
            long travelLimitCounts = (long)(MaxTravelMeters * cartCountsPerMeter);
            long origin = cart.ReadCount();
            long[] cartGain = new long[PeriodsPerDuty]; // counts gained per control period
            long[] poleGain = new long[PeriodsPerDuty];
            float[] duties = new float[] { LowDuty, -LowDuty, HighDuty, -HighDuty };
            bool stopped = false;
            for (int d = 0; d < duties.Length && !stopped; d++)
            {
                int periods = RunDuty(motor, clock, cart, pole, inputs, duties[d], origin, travelLimitCounts, cartGain, poleGain);
                motor.SetDuty(0f);
                stopped = periods < PeriodsPerDuty;
                Console.WriteLine("duty " + duties[d].ToString() + ": " + periods.ToString() + " periods of 20 ms" + (stopped ? ", STOPPED: " + Switches(inputs) : ""));
                long cartTotal = 0;
                for (int k = 0; k < periods; k++)
                {
                    cartTotal += cartGain[k];
                    Console.WriteLine("  period " + k.ToString() + ": cart +" + cartGain[k].ToString() + " counts, pole +" + poleGain[k].ToString() + " counts");
                }

                Console.WriteLine("  cart counts in total " + cartTotal.ToString() + " (positive duty must give positive counts: the cart moving toward +x)");
                Thread.Sleep(500);
            }

            motor.SetDuty(0f);
            Console.WriteLine("done; motor off");
            Thread.Sleep(Timeout.Infinite);
        }

        // Runs one duty on the 20 ms grid; returns the periods completed (fewer if a safety input or the travel limit stopped it).
        private static int RunDuty(HBridgeMotor motor, Esp32Clock clock, QuadratureEncoder cart, QuadratureEncoder pole, RigInputs inputs,
            float duty, long origin, long travelLimitCounts, long[] cartGain, long[] poleGain)
        {
            long period = FirmwareSettings.ControlPeriodMicroseconds;
            long lastCart = cart.ReadCount();
            long lastPole = pole.ReadCount();
            long next = clock.NowMicroseconds;
            motor.SetDuty(duty);
            for (int k = 0; k < cartGain.Length; k++)
            {
                next += period;
                while (clock.NowMicroseconds < next)
                {
                }

                long cartCount = cart.ReadCount();
                long poleCount = pole.ReadCount();
                cartGain[k] = cartCount - lastCart;
                poleGain[k] = poleCount - lastPole;
                lastCart = cartCount;
                lastPole = poleCount;
                long travel = cartCount - origin;
                if (inputs.NegativeLimitTripped || inputs.PositiveLimitTripped || inputs.EmergencyStopPressed
                    || travel > travelLimitCounts || travel < -travelLimitCounts)
                {
                    motor.SetDuty(0f);
                    return k + 1;
                }
            }

            motor.SetDuty(0f);
            return cartGain.Length;
        }

        private static string Switches(RigInputs inputs)
        {
            return "-x limit " + (inputs.NegativeLimitTripped ? "OPEN" : "closed") + "  +x limit " + (inputs.PositiveLimitTripped ? "OPEN" : "closed")
                + "  E-stop " + (inputs.EmergencyStopPressed ? "OPEN (pressed or cut)" : "closed");
        }
    }
}
