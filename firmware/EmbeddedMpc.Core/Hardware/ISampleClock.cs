namespace EmbeddedMpc.Core.Hardware
{
    /// <summary>
    /// Sensors that know when they were read: the time of the latest <see cref="IRigSensors.Read"/>, in
    /// µs on a monotonic clock. The rig's sensors implement it, so that the estimator can divide by the
    /// time that really passed between two readings (<see cref="Estimation.EncoderStateEstimator.TimeReadingsWith"/>);
    /// sources that deliver exactly one reading per control period (the simulated plant, HIL) need not.
    /// </summary>
    public interface ISampleClock
    {
        /// <summary>When the encoders were read in the latest <see cref="IRigSensors.Read"/>, µs (any fixed origin).</summary>
        long LastSampleMicroseconds { get; }
    }
}
