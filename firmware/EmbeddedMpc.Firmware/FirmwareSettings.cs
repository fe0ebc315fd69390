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
        /// Counts the PCNT configuration produces per quadrature cycle (four edges). The rig profile's
        /// scales assume 4 (x4 decoding). Check it on the board with the scale check of
        /// hardware/homing-and-calibration.md (0.500 m of travel = 5,610 counts): nanoFramework's ESP32
        /// native pulse counter has changed its channel configuration between firmware versions, and a
        /// configuration that counts only three of the four edges reads 3/4 of the expected count; set 3 then.
        /// </summary>
        public const int EncoderCountsPerQuadratureCycle = 4;

        /// <summary>
        /// The planner this firmware runs on the rig, sizes and seed included: the Core's
        /// <see cref="PlannerDefinitions.ImprovedCemEsp32"/> (icem-esp32), the same definition the simulator runs
        /// by its name, sized for the ESP32's planning budget. A new object per call.
        /// </summary>
        public static PlannerDefinition Planner()
        {
            return PlannerDefinitions.ImprovedCemEsp32();
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
        /// model a host sent (the Core's StoredModel, 77 bytes), read at start-up.
        /// </summary>
        public const string ModelStorePath = "I:\\embeddedmpc-model.bin";
    }
}
