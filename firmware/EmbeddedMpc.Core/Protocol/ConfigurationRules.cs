namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// What a device accepts in a Configuration: the ranges of PROTOCOL.md's Configuration table, field by
    /// field (a cart-pole rig's plausible values, narrower than the model's own validation, so that every
    /// device can build its controller from any value at a bound), and the work a tick may ask for, i.e. model steps per tick = Samples x Horizon (in model steps)
    /// x Iterations x particles, against the device's own rate (model steps per second of control period,
    /// so that a longer period allows proportionally more). One definition for every device: the firmware
    /// and the virtual device call these checks before they build anything, so a Configuration beyond
    /// them allocates nothing and is answered at once. Allocates nothing; start-up code.
    /// </summary>
    public static class ConfigurationRules
    {
        /// <summary>Smallest CartMassKilograms, kg.</summary>
        public const float MinCartMassKilograms = 0.01f;

        /// <summary>Smallest PoleMassKilograms, kg.</summary>
        public const float MinPoleMassKilograms = 0.001f;

        /// <summary>Smallest PivotToCenterOfMassMeters, m.</summary>
        public const float MinPivotToCenterOfMassMeters = 0.01f;

        /// <summary>Smallest MaxForceNewtons, N.</summary>
        public const float MinForceNewtons = 0.1f;

        /// <summary>Smallest GravityMetersPerSecondSquared, m/s².</summary>
        public const float MinGravityMetersPerSecondSquared = 1f;

        /// <summary>Largest CartMassKilograms, kg.</summary>
        public const float MaxCartMassKilograms = 100f;

        /// <summary>Largest PoleMassKilograms, kg .</summary>
        public const float MaxPoleMassKilograms = 10f;

        /// <summary>Largest PivotToCenterOfMassMeters, m .</summary>
        public const float MaxPivotToCenterOfMassMeters = 2f;

        /// <summary>Largest PoleInertiaAboutPivotKilogramSquareMeters, kg·m² (the range is [m·l², this]).</summary>
        public const float MaxPoleInertiaKilogramSquareMeters = 10f;

        /// <summary>Largest CartDampingNewtonSecondsPerMeter, N·s/m .</summary>
        public const float MaxCartDampingNewtonSecondsPerMeter = 100f;

        /// <summary>Largest PivotDampingNewtonMeterSecondsPerRadian, N·m·s/rad .</summary>
        public const float MaxPivotDampingNewtonMeterSecondsPerRadian = 1f;

        /// <summary>Largest MaxForceNewtons, N .</summary>
        public const float MaxForceNewtons = 1000f;

        /// <summary>Smallest TrackHalfLengthMeters, m: the supervisor's track margins need this much travel each way.</summary>
        public const float MinTrackHalfLengthMeters = 0.1f;

        /// <summary>Largest TrackHalfLengthMeters, m.</summary>
        public const float MaxTrackHalfLengthMeters = 10f;

        /// <summary>Largest GravityMetersPerSecondSquared, m/s² .</summary>
        public const float MaxGravityMetersPerSecondSquared = 30f;

        /// <summary>
        /// Smallest encoder scale, counts per metre or per revolution: the link carries counts, so a scale must
        /// resolve the state (100 counts per revolution is 3.6°; per metre, 1 cm).
        /// </summary>
        public const float MinEncoderScale = 100f;

        /// <summary>Largest encoder scale, counts per metre or per revolution.</summary>
        public const float MaxEncoderScale = 1e7f;

        /// <summary>Largest CartCoulombFrictionNewtons, N (the model's own limit, <see cref="Model.CartPoleParameters.Validate"/>).</summary>
        public const float MaxCartCoulombFrictionNewtons = 1000f;

        /// <summary>Largest PivotCoulombFrictionNewtonMeters, N·m (the model's own limit, <see cref="Model.CartPoleParameters.Validate"/>).</summary>
        public const float MaxPivotCoulombFrictionNewtonMeters = 100f;

        /// <summary>Shortest control period, µs.</summary>
        public const uint MinControlPeriodMicroseconds = 1000u;

        /// <summary>Longest control period, µs.</summary>
        public const uint MaxControlPeriodMicroseconds = 1000000u;

        /// <summary>Samples range: [this, <see cref="MaxSamples"/>].</summary>
        public const int MinSamples = 2;

        /// <summary>Largest Samples.</summary>
        public const int MaxSamples = 100000;

        /// <summary>Largest Horizon (decision values per sequence).</summary>
        public const int MaxHorizon = 1000;

        /// <summary>Largest Iterations.</summary>
        public const int MaxIterations = 100;

        /// <summary>
        /// The first field of <paramref name="message"/> outside PROTOCOL.md's range, or
        /// <see cref="AckDetail.None"/>. NaN is outside every range.
        /// </summary>
        public static AckDetail CheckRanges(ref ConfigurationMessage message)
        {
            if (!(message.CartMassKilograms >= MinCartMassKilograms && message.CartMassKilograms <= MaxCartMassKilograms))
            {
                return AckDetail.CartMassKilograms;
            }

            if (!(message.PoleMassKilograms >= MinPoleMassKilograms && message.PoleMassKilograms <= MaxPoleMassKilograms))
            {
                return AckDetail.PoleMassKilograms;
            }

            if (!(message.PivotToCenterOfMassMeters >= MinPivotToCenterOfMassMeters && message.PivotToCenterOfMassMeters <= MaxPivotToCenterOfMassMeters))
            {
                return AckDetail.PivotToCenterOfMassMeters;
            }

            // A pole's inertia about its pivot is at least that of its mass concentrated at the centre of mass.
            float pointMassInertia = message.PoleMassKilograms * message.PivotToCenterOfMassMeters * message.PivotToCenterOfMassMeters;
            if (!(message.PoleInertiaAboutPivotKilogramSquareMeters >= pointMassInertia && message.PoleInertiaAboutPivotKilogramSquareMeters <= MaxPoleInertiaKilogramSquareMeters))
            {
                return AckDetail.PoleInertiaAboutPivotKilogramSquareMeters;
            }

            if (!(message.CartDampingNewtonSecondsPerMeter >= 0f && message.CartDampingNewtonSecondsPerMeter <= MaxCartDampingNewtonSecondsPerMeter))
            {
                return AckDetail.CartDampingNewtonSecondsPerMeter;
            }

            if (!(message.PivotDampingNewtonMeterSecondsPerRadian >= 0f && message.PivotDampingNewtonMeterSecondsPerRadian <= MaxPivotDampingNewtonMeterSecondsPerRadian))
            {
                return AckDetail.PivotDampingNewtonMeterSecondsPerRadian;
            }

            if (!(message.MaxForceNewtons >= MinForceNewtons && message.MaxForceNewtons <= MaxForceNewtons))
            {
                return AckDetail.MaxForceNewtons;
            }

            if (!(message.TrackHalfLengthMeters >= MinTrackHalfLengthMeters && message.TrackHalfLengthMeters <= MaxTrackHalfLengthMeters))
            {
                return AckDetail.TrackHalfLengthMeters;
            }

            if (!(message.GravityMetersPerSecondSquared >= MinGravityMetersPerSecondSquared && message.GravityMetersPerSecondSquared <= MaxGravityMetersPerSecondSquared))
            {
                return AckDetail.GravityMetersPerSecondSquared;
            }

            if (!(message.CartCountsPerMeter >= MinEncoderScale && message.CartCountsPerMeter <= MaxEncoderScale))
            {
                return AckDetail.CartCountsPerMeter;
            }

            if (!(message.PoleCountsPerRevolution >= MinEncoderScale && message.PoleCountsPerRevolution <= MaxEncoderScale))
            {
                return AckDetail.PoleCountsPerRevolution;
            }

            if (message.ControlPeriodMicroseconds < MinControlPeriodMicroseconds || message.ControlPeriodMicroseconds > MaxControlPeriodMicroseconds)
            {
                return AckDetail.ControlPeriodMicroseconds;
            }

            if (!(message.CartCoulombFrictionNewtons >= 0f && message.CartCoulombFrictionNewtons <= MaxCartCoulombFrictionNewtons))
            {
                return AckDetail.CartCoulombFrictionNewtons;
            }

            if (!(message.PivotCoulombFrictionNewtonMeters >= 0f && message.PivotCoulombFrictionNewtonMeters <= MaxPivotCoulombFrictionNewtonMeters))
            {
                return AckDetail.PivotCoulombFrictionNewtonMeters;
            }

            if (message.Samples < MinSamples || message.Samples > MaxSamples)
            {
                return AckDetail.Samples;
            }

            if (message.Horizon < 1 || message.Horizon > MaxHorizon)
            {
                return AckDetail.Horizon;
            }

            if (message.Iterations < 1 || message.Iterations > MaxIterations)
            {
                return AckDetail.Iterations;
            }

            if (message.Elites < 1 || message.Elites > message.Samples)
            {
                return AckDetail.Elites;
            }

            return AckDetail.None;
        }

        /// <summary>
        /// Model steps one tick asks for: <paramref name="samples"/> x <paramref name="horizonModelSteps"/> x
        /// <paramref name="iterations"/> x <paramref name="particles"/> (each at least 1 counted as given; no overflow).
        /// </summary>
        public static long ModelStepsPerTick(int samples, int horizonModelSteps, int iterations, int particles)
        {
            return (long)samples * horizonModelSteps * iterations * particles;
        }

        /// <summary>
        /// The most model steps a tick may take on a device that runs <paramref name="modelStepsPerSecond"/> of
        /// control period, at a period of <paramref name="controlPeriodMicroseconds"/>: rate x period, rounded down.
        /// </summary>
        public static uint TickWorkLimit(uint controlPeriodMicroseconds, int modelStepsPerSecond)
        {
            long limit = (long)modelStepsPerSecond * controlPeriodMicroseconds / 1000000L;
            return limit > 0xFFFFFFFFL ? 0xFFFFFFFFu : (uint)limit;
        }

        /// <summary>
        /// <see cref="AckDetail.TickWork"/> when the tick's work (<see cref="ModelStepsPerTick"/>) is above
        /// <see cref="TickWorkLimit"/>, else <see cref="AckDetail.None"/>; <paramref name="limit"/> is that limit.
        /// </summary>
        public static AckDetail CheckTickWork(int samples, int horizonModelSteps, int iterations, int particles,
            uint controlPeriodMicroseconds, int modelStepsPerSecond, out uint limit)
        {
            limit = TickWorkLimit(controlPeriodMicroseconds, modelStepsPerSecond);
            return ModelStepsPerTick(samples, horizonModelSteps, iterations, particles) > limit ? AckDetail.TickWork : AckDetail.None;
        }
    }
}
