using System;
using System.Device.Gpio;
using System.Threading;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Firmware;
using EmbeddedMpc.Firmware.Drivers.Encoders;
using EmbeddedMpc.Firmware.Drivers.Motor;
using EmbeddedMpc.Firmware.Drivers.Safety;
using EmbeddedMpc.Firmware.Drivers.Switches;

namespace EmbeddedMpc.BringUp
{
    /// <summary>
    /// Motor and encoder bring-up on the rig, with the firmware's own drivers and pin map
    /// (firmware/EmbeddedMpc.Firmware/README.md, "Measuring the board" and "Encoder counts per quadrature cycle"):
    /// <list type="number">
    /// <item>motor off, 15 s: every 250 ms the encoder counts and the switch states (move the cart and the
    /// pole by hand, press each limit switch and the E-stop);</item>
    /// <item>counts per quadrature cycle: turn the pole by hand exactly one revolution between two presses of the
    /// start button; the pole counts gained, divided by the encoder's lines (the profile's counts per revolution
    /// / 4), is the figure for <see cref="FirmwareSettings.EncoderCountsPerQuadratureCycle"/>: 3 with the pinned
    /// runtime (its PCNT code counts 3 of a cycle's 4 edges), 4 with a runtime that counts every edge, and then
    /// the constant must be changed to 4;</item>
    /// <item>after a press of the start button: fixed duties of ±<see cref="LowDuty"/> and ±<see cref="HighDuty"/>,
    /// <see cref="PeriodsPerDuty"/> control periods each with the motor off in between, printing the cart and
    /// pole counts gained in each 20 ms period; any limit switch, the E-stop, or the cart more than
    /// <see cref="MaxTravelMeters"/> from where it started stops the motor at once and ends the test.</item>
    /// </list>
    /// The motor-enable heartbeat is pulsed every period while a duty runs, as the firmware does; without it
    /// the hardware keeps the bridge disabled.
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
            var heartbeat = new MotorEnableHeartbeat(gpio, PinMap.MotorEnableHeartbeat);
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

            MeasureCountsPerCycle(pole, button);

            Console.WriteLine("Centre the cart, let the pole hang, keep a hand on the E-stop, then press the start button to run the fixed duties.");
            WaitForPress(button);

            float cartCountsPerMeter = RigProfiles.Esp32Rig().CartCountsPerMeter * FirmwareSettings.EncoderCountScale;
            long travelLimitCounts = (long)(MaxTravelMeters * cartCountsPerMeter);
            long origin = cart.ReadCount();
            long[] cartGain = new long[PeriodsPerDuty]; // counts gained per control period
            long[] poleGain = new long[PeriodsPerDuty];
            float[] duties = new float[] { LowDuty, -LowDuty, HighDuty, -HighDuty };
            bool stopped = false;
            for (int d = 0; d < duties.Length && !stopped; d++)
            {
                int periods = RunDuty(motor, heartbeat, clock, cart, pole, inputs, duties[d], origin, travelLimitCounts, cartGain, poleGain);
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
        private static int RunDuty(HBridgeMotor motor, MotorEnableHeartbeat heartbeat, Esp32Clock clock, QuadratureEncoder cart, QuadratureEncoder pole, RigInputs inputs,
            float duty, long origin, long travelLimitCounts, long[] cartGain, long[] poleGain)
        {
            long period = FirmwareSettings.ControlPeriodMicroseconds;
            long lastCart = cart.ReadCount();
            long lastPole = pole.ReadCount();
            long next = clock.NowMicroseconds;
            heartbeat.Pulse();
            motor.SetDuty(duty);
            for (int k = 0; k < cartGain.Length; k++)
            {
                heartbeat.Pulse();
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

        // The pole encoder has the profile's counts per revolution / 4 lines; one revolution by hand gives lines x the
        // counts the runtime's PCNT code makes per quadrature cycle (3 with the pinned runtime: it counts 3 of the 4
        // edges; FirmwareSettings). Either direction of turning will do: the sign only says which way was turned.
        private static void MeasureCountsPerCycle(QuadratureEncoder pole, PushButton button)
        {
            long lines = (long)(RigProfiles.Esp32Rig().PoleCountsPerRevolution / 4f + 0.5f);
            Console.WriteLine("Counts per cycle: let the pole hang still, press the start button, turn the pole slowly one full revolution "
                + "until it hangs still again, and press the start button.");
            WaitForPress(button);
            long start = pole.ReadCount();
            WaitForPress(button);
            long gained = pole.ReadCount() - start;
            long magnitude = gained < 0 ? -gained : gained;
            long perCycle = (magnitude + lines / 2) / lines;
            long offBy = magnitude - perCycle * lines;
            offBy = offBy < 0 ? -offBy : offBy;
            string verdict;
            if (perCycle < 1 || offBy * 50 > lines)
            {
                // No revolution, or more than 2 % of a line's worth (12 counts) from a whole figure per line:
                // not one clean revolution, or lost edges. 3 and 4 per cycle differ by 600 counts.
                verdict = " (not a whole figure per line: turn exactly one revolution, slowly, and measure again)";
            }
            else if (perCycle == FirmwareSettings.EncoderCountsPerQuadratureCycle)
            {
                verdict = " (matches)";
            }
            else
            {
                verdict = " (CHANGE IT: set EncoderCountsPerQuadratureCycle to " + perCycle.ToString()
                    + " in FirmwareSettings.cs, rebuild and redeploy the firmware)";
            }

            Console.WriteLine("pole counts in one revolution " + gained.ToString() + " over " + lines.ToString() + " lines: "
                + perCycle.ToString() + " counts per quadrature cycle; FirmwareSettings.EncoderCountsPerQuadratureCycle is "
                + FirmwareSettings.EncoderCountsPerQuadratureCycle.ToString() + verdict);
        }

        private static void WaitForPress(PushButton button)
        {
            while (!button.SamplePressed())
            {
                Thread.Sleep(20);
            }
        }

        private static string Switches(RigInputs inputs)
        {
            return "-x limit " + (inputs.NegativeLimitTripped ? "OPEN" : "closed") + "  +x limit " + (inputs.PositiveLimitTripped ? "OPEN" : "closed")
                + "  E-stop " + (inputs.EmergencyStopPressed ? "OPEN (pressed or cut)" : "closed");
        }
    }
}
