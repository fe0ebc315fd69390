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

        /// <summary>
        /// When the encoders were read, µs on the source's own clock (any origin; only differences are
        /// used). Meaningful only when <see cref="HasSampleTime"/> is true.
        /// </summary>
        public long SampleTimeMicroseconds;

        /// <summary>
        /// True when <see cref="SampleTimeMicroseconds"/> holds the time of this reading: the rig's sensors
        /// stamp it, so the estimator divides by the time that really passed between two readings (a late or
        /// skipped tick does not distort the velocities). False for sources that deliver exactly one reading
        /// per control period (the simulated plant, HIL): the estimator then assumes one period.
        /// </summary>
        public bool HasSampleTime;
    }
}
