namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// Why a Configuration was refused (the Ack's Detail byte; values are part of the protocol): 1 to 19 name
    /// the Configuration's fields in payload order, above that a limit of the device (or, 35, a Command's duration). 0 when nothing was refused.
    /// </summary>
    public enum AckDetail : byte
    {
        /// <summary>Nothing refused, or the status is not InvalidValue.</summary>
        None = 0,

        /// <summary>Configuration field at payload offset 0.</summary>
        CartMassKilograms = 1,

        /// <summary>Offset 4.</summary>
        PoleMassKilograms = 2,

        /// <summary>Offset 8.</summary>
        PivotToCenterOfMassMeters = 3,

        /// <summary>Offset 12.</summary>
        PoleInertiaAboutPivotKilogramSquareMeters = 4,

        /// <summary>Offset 16.</summary>
        CartDampingNewtonSecondsPerMeter = 5,

        /// <summary>Offset 20.</summary>
        PivotDampingNewtonMeterSecondsPerRadian = 6,

        /// <summary>Offset 24.</summary>
        MaxForceNewtons = 7,

        /// <summary>Offset 28.</summary>
        TrackHalfLengthMeters = 8,

        /// <summary>Offset 32.</summary>
        GravityMetersPerSecondSquared = 9,

        /// <summary>Offset 36.</summary>
        CartCountsPerMeter = 10,

        /// <summary>Offset 40.</summary>
        PoleCountsPerRevolution = 11,

        /// <summary>Offset 44.</summary>
        ControlPeriodMicroseconds = 12,

        /// <summary>Offset 48.</summary>
        CartCoulombFrictionNewtons = 13,

        /// <summary>Offset 52.</summary>
        PivotCoulombFrictionNewtonMeters = 14,

        /// <summary>Offset 56.</summary>
        Samples = 15,

        /// <summary>Offset 60.</summary>
        Horizon = 16,

        /// <summary>Offset 64.</summary>
        Iterations = 17,

        /// <summary>Offset 68.</summary>
        Elites = 18,

        /// <summary>Offset 72 (never refused: any seed is valid).</summary>
        Seed = 19,

        /// <summary>
        /// The planner's work per tick, Samples x Horizon (model steps) x Iterations (x particles), is above
        /// what the device runs within one control period; the Ack's Limit holds that limit.
        /// </summary>
        TickWork = 32,

        /// <summary>Samples x Horizon is above what the device's memory holds; the Ack's Limit holds that limit.</summary>
        PlannerMemory = 33,

        /// <summary>The values are in range, but the device could not build a controller from them (e.g. the supervisor's track margins do not fit).</summary>
        Rejected = 34,

        /// <summary>A Command Excite whose DurationMilliseconds is outside [1000, 600000].</summary>
        Duration = 35,

        /// <summary>With WrongMode, rig mode: a Configuration came while the motor may run (Homing, SwingUp, Balance); stop the rig first.</summary>
        Running = 36,
    }
}
