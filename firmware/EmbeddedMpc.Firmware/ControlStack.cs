using EmbeddedMpc.Core.Catalog;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;

namespace EmbeddedMpc.Firmware
{
    /// <summary>
    /// Builds the Core's control loop for the rig through the Core's <see cref="ControllerFactory"/>, the
    /// same code the simulator builds its controller with: the planner of <see cref="FirmwareSettings.Planner"/>
    /// (the simulator's `--planner` of the same name), encoder estimator, supervisor, drive actuator.
    /// Called once at start-up on the rig, and at each Hello and accepted Configuration in HIL mode
    /// (<see cref="Hil.HilController"/>); everything the ticks use is allocated here. Uses the Core only, so
    /// the host tests build it too (tests/EmbeddedMpc.Tests/Firmware) and check that it makes the
    /// simulator's decisions.
    /// </summary>
    /// <remarks>
    /// The rig plans with <see cref="FirmwareSettings.Planner"/> (the catalog's icem-esp32: 30 model steps per
    /// swing-up tick, the LQR in Balance), sized so that its largest tick fits the 16 ms planning budget on the
    /// ESP32 by the host's interpreter cost measure (README.md, "The planning budget"), and it stops at the
    /// loop's budget (<see cref="ControlLoop.StopsPlanningAtBudget"/>). HIL mode plans with the CEM a
    /// Configuration sets (default <see cref="DefaultPlannerSettings"/>, the sizes of
    /// <see cref="FirmwareSettings.HilPlanner"/>, cem-lqr-esp32: 8 samples x 2 iterations x 40 steps of 20 ms =
    /// 640 model steps): the protocol carries CEM sizes and no planner kind. That CEM needs some 5 to 10 times
    /// the budget on the ESP32.
    /// </remarks>
    internal static class ControlStack
    {
        /// <summary>
        /// The sizes and seed of <see cref="FirmwareSettings.HilPlanner"/> in the form a HIL Configuration carries
        /// them: Samples, Horizon (in model steps), Iterations, Elites, Seed. A new object per call.
        /// </summary>
        public static CemSettings DefaultPlannerSettings()
        {
            PlannerDefinition planner = FirmwareSettings.HilPlanner();
            return new CemSettings
            {
                Samples = planner.Samples,
                Horizon = planner.HorizonSteps,
                Iterations = planner.Iterations,
                Elites = planner.Elites,
                Result = planner.Result,
                Seed = planner.Seed,
            };
        }

        /// <summary>
        /// Builds the loop for the rig itself: <paramref name="profile"/>, <see cref="FirmwareSettings.Planner"/>
        /// planning anytime within the loop's budget, and the PCNT's counts per quadrature cycle
        /// (<see cref="FirmwareSettings.EncoderCountsPerQuadratureCycle"/>) around the ESP32 drivers.
        /// </summary>
        /// <exception cref="System.ArgumentException">A setting is out of range, or the profile's control period is not <see cref="FirmwareSettings.ControlPeriodMicroseconds"/>.</exception>
        public static ControlLoop Build(RigProfile profile, IRigSensors sensors, IMotorDriver motor, IMicrosecondClock clock)
        {
            if (PeriodMicroseconds(profile) != FirmwareSettings.ControlPeriodMicroseconds)
            {
                throw new System.ArgumentException("The profile's control period differs from FirmwareSettings.ControlPeriodMicroseconds.", "profile");
            }

            // The PCNT counts 3 of the 4 edges per quadrature cycle, the profile's scales assume 4 (FirmwareSettings).
            ControlLoop loop = ControllerFactory.Build(FirmwareSettings.Planner(), profile, FirmwareSettings.EncoderCountScale, sensors, motor, clock);
            // Sensors that note when they were read (the rig's RigSensors) give the estimator the measured time
            // between readings, so a late or skipped tick does not distort the velocities.
            if (sensors is ISampleClock sampleClock && loop.Estimator is EncoderStateEstimator estimator)
            {
                estimator.TimeReadingsWith(sampleClock);
            }

            // The rig's planner stops at the budget with its best plan so far, so planning cannot overrun the tick.
            loop.StopsPlanningAtBudget = true;
            return loop;
        }

        /// <summary>
        /// Builds HIL mode's loop for <paramref name="profile"/> with <see cref="FirmwareSettings.HilPlanner"/> at the sizes
        /// and seed of <paramref name="sizes"/> (its Horizon in model steps), around the given hardware. The
        /// supervisor starts in Idle, not homed, with AutoStart off.
        /// </summary>
        /// <param name="profile">The rig; its control period may be any the profile allows (HIL takes it from a Configuration).</param>
        /// <param name="sizes">Samples, Horizon (model steps), Iterations, Elites and Seed; its other settings are not used.</param>
        /// <param name="encoderCountScale">Counts the sensors deliver per count the profile's scales assume: 1 for exact x4 counts (HIL), <see cref="FirmwareSettings.EncoderCountScale"/> on the rig.</param>
        /// <param name="sensors">Encoders, limit switches, E-stop.</param>
        /// <param name="motor">The drive.</param>
        /// <param name="clock">The clock the planning time is measured with.</param>
        /// <exception cref="System.ArgumentException">A setting is out of range.</exception>
        public static ControlLoop Build(RigProfile profile, CemSettings sizes, float encoderCountScale, IRigSensors sensors, IMotorDriver motor, IMicrosecondClock clock)
        {
            PlannerDefinition planner = FirmwareSettings.HilPlanner();
            planner.Samples = sizes.Samples;
            planner.HorizonSteps = sizes.Horizon;
            planner.Iterations = sizes.Iterations;
            planner.Elites = sizes.Elites;
            planner.Seed = sizes.Seed;
            return ControllerFactory.Build(planner, profile, encoderCountScale, sensors, motor, clock);
        }

        /// <summary>The profile's control period in whole microseconds.</summary>
        public static int PeriodMicroseconds(RigProfile profile)
        {
            return ControllerFactory.PeriodMicroseconds(profile);
        }
    }
}
