namespace EmbeddedMpc.Core.Hardware
{
    /// <summary>
    /// One sample of every sensor of the rig, taken at the start of a control tick. Filled by an
    /// <see cref="IRigSensors"/> implementation (ESP32 peripherals, the simulated plant or the HIL
    /// serial link). Plain fields, copied by value.
    /// </summary>
    public struct SensorReading
    {
        /// <summary>Cart encoder count (quadrature edges since power-on; grows toward +x).</summary>
        public long CartCount;

        /// <summary>Pole encoder count (quadrature edges since power-on; grows as the top moves toward +x).</summary>
        public long PoleCount;

        /// <summary>True when the limit switch at the -x end is tripped (or its wire is cut).</summary>
        public bool NegativeLimitTripped;

        /// <summary>True when the limit switch at the +x end is tripped (or its wire is cut).</summary>
        public bool PositiveLimitTripped;

        /// <summary>True when the emergency stop is pressed (or its wire is cut).</summary>
        public bool EmergencyStopPressed;
    }
}
