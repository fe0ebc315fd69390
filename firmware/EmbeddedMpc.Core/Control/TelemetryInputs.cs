namespace EmbeddedMpc.Core.Control
{
    /// <summary>
    /// Bits of <see cref="TelemetryRecord.Inputs"/> (the Telemetry message's Inputs byte; values are part of the
    /// protocol): the raw state of the rig's switches in one tick, so that a host can check the wiring and the
    /// homing switch without a multimeter. A cut wire reads as tripped or pressed.
    /// </summary>
    public static class TelemetryInputs
    {
        /// <summary>Bit 0: the limit switch at the -x end (the homing switch) is tripped.</summary>
        public const byte NegativeLimit = 0x01;

        /// <summary>Bit 1: the limit switch at the +x end is tripped.</summary>
        public const byte PositiveLimit = 0x02;

        /// <summary>Bit 2: the emergency stop is pressed.</summary>
        public const byte EmergencyStop = 0x04;

        /// <summary>Bit 3: the start button was pressed (a press was seen this tick; rig mode only).</summary>
        public const byte Button = 0x08;
    }
}
