using EmbeddedMpc.Core.Catalog;

namespace EmbeddedMpc.Firmware
{
    /// <summary>
    /// The firmware's fixed settings. The rig's physics come from the Core's profile
    /// (<c>RigProfiles.Esp32Rig()</c>); what is here is how this board runs it.
    /// </summary>
    internal static class FirmwareSettings
    {
        /// <summary>Firmware version reported in HelloAck: major.</summary>
        public const byte VersionMajor = 0;

        /// <summary>Firmware version reported in HelloAck: minor.</summary>
        public const byte VersionMinor = 1;

        /// <summary>Firmware version reported in HelloAck: patch.</summary>
        public const ushort VersionPatch = 0;

        /// <summary>
        /// Control period, µs. Must equal the profile's control period (checked at start-up): the
        /// estimator, the supervisor and the planner are built for it.
        /// </summary>
        public const int ControlPeriodMicroseconds = 20000;

        /// <summary>How often the control thread measures free memory (a garbage collection) and sends loop statistics, s.</summary>
        public const int StatisticsPeriodSeconds = 5;

        /// <summary>Host link speed, baud (8N1, no flow control; PROTOCOL.md "Conventions").</summary>
        public const int HostLinkBaudRate = 921600;

        /// <summary>Motor PWM frequency, Hz: above hearing, about 11 bits of duty resolution on the ESP32 LEDC.</summary>
        public const int MotorPwmFrequencyHertz = 20000;

        /// <summary>
        /// Glitch filter of the PCNT encoder inputs (<c>GpioPulseCounter.FilterPulses</c>; 0..1023). The
        /// managed library documents it in 12.5 ns APB clock cycles, recent native code passes it on as
        /// nanoseconds; 1000 is 1 µs or 12.5 µs, both far below the shortest real edge spacing (≈ 70 µs,
        /// hardware/wiring.md "Rates").
        /// </summary>
        public const ushort EncoderGlitchFilter = 1000;

        /// <summary>
        /// Counts the ESP32's PCNT gives per quadrature cycle (four edges) as the pinned runtime sets it up
        /// (hardware/flashing.md): 3. The rig profile's scales assume 4 (x4 decoding); the loop's estimator is
        /// built with <see cref="EncoderCountScale"/> so that its distances and angles are right with 3.
        /// Why 3: nanoFramework's native <c>GpioPulseCounter</c> code since its ESP-IDF 5.1.3 port (2024) gives
        /// channel A (edge input A, level input B) "hold" on rising and "increase" on falling edges with the default
        /// <c>GpioPulsePolarity.Falling</c>, and channel B (edge B, level A) "increase" on rising, "decrease" on
        /// falling edges, both inverted while their level input is low: per cycle A's rising edge counts 0 and the
        /// other three edges 1 each, in both directions (the 2023 code counted all 4). Counts therefore come
        /// unevenly spaced (0, 0, 1, 2 over a cycle's four quarters), an error of at most one x4 count.
        /// A calibration value: the bring-up app (firmware/EmbeddedMpc.BringUp) prints the counts of one pole
        /// revolution divided by the encoder's 600 lines; a board that prints 4 runs a runtime that counts every
        /// edge, and then this must be 4. A wrong figure makes every distance and angle 4/3 or 3/4 of the truth;
        /// the scale check of hardware/homing-and-calibration.md (0.500 m of travel = 4,208 counts at 3) confirms it.
        /// </summary>
        public const int EncoderCountsPerQuadratureCycle = 3;

        /// <summary>
        /// Counts the rig's encoders deliver per count the profile's scales assume (x4 decoding):
        /// <see cref="EncoderCountsPerQuadratureCycle"/> / 4, 0.75.
        /// </summary>
        public const float EncoderCountScale = EncoderCountsPerQuadratureCycle / 4f;

        /// <summary>
        /// The planner this firmware runs on the rig, sizes and seed included: the Core's
        /// <see cref="PlannerDefinitions.ImprovedCemEsp32Adaptive"/> (icem-esp32-adapt), the same definition the
        /// simulator runs by its name: icem-esp32, sized for the ESP32's planning budget, whose model adapts online
        /// to the measured motion. A new object per call.
        /// </summary>
        public static PlannerDefinition Planner()
        {
            return PlannerDefinitions.ImprovedCemEsp32Adaptive();
        }

        /// <summary>
        /// The planner of HIL mode, whose Configuration carries CEM sizes and a seed: the Core's
        /// <see cref="PlannerDefinitions.CemLqrEsp32"/> (cem-lqr-esp32) at those sizes; its own until a
        /// Configuration arrives. A new object per call.
        /// </summary>
        public static PlannerDefinition HilPlanner()
        {
            return PlannerDefinitions.CemLqrEsp32();
        }

        /// <summary>
        /// HIL mode: the largest planner a Configuration may ask for, as Samples x Horizon (the CEM's sample
        /// buffer, in floats: 4096 x 4 bytes = 16 KB, held twice while a new configuration is built next to
        /// the old one). The managed heap of an ESP32-WROOM is some 100 KB; larger configurations are
        /// answered Ack InvalidValue. The firmware's own cem-lqr-esp32, 8 x 40, is 320.
        /// </summary>
        public const int HilMaxPlannerSampleValues = 4096;

        /// <summary>
        /// HIL mode: how long the link thread sleeps when nothing has arrived, ms. The device notices a
        /// SensorReadings frame at most about this late, and applies the link-loss rule this often.
        /// </summary>
        public const int HilIdleSleepMilliseconds = 1;

        /// <summary>
        /// Rig mode: the file on the ESP32's internal flash drive ("I:", nanoFramework.System.IO.FileSystem) that keeps the
        /// model a host sent (the Core's StoredModel, StoredModel.Length bytes), read at start-up.
        /// </summary>
        public const string ModelStorePath = "I:\\embeddedmpc-model.bin";
    }
}
