using EmbeddedMpc.Core.Catalog;
using EmbeddedMpc.Core.Control;
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
    /// The planner's cost per tick must be measured on the board (PlanningMicroseconds in the telemetry):
    /// the Core's README estimates what an ESP32 interpreting IL affords in a 20 ms tick.
    /// </remarks>
    internal static class ControlStack
    {
        /// <summary>
        /// The sizes and seed of <see cref="FirmwareSettings.Planner"/> in the form a HIL Configuration carries
        /// them: Samples, Horizon (in model steps), Iterations, Elites, Seed. A new object per call.
        /// </summary>
        public static CemSettings DefaultPlannerSettings()
        {
            PlannerDefinition planner = FirmwareSettings.Planner();
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
        /// Builds the loop for the rig itself: <paramref name="profile"/>, <see cref="FirmwareSettings.Planner"/>,
        /// and the PCNT's counts per quadrature cycle (<see cref="FirmwareSettings.EncoderCountsPerQuadratureCycle"/>)
        /// around the ESP32 drivers.
        /// </summary>
        /// <exception cref="System.ArgumentException">A setting is out of range, or the profile's control period is not <see cref="FirmwareSettings.ControlPeriodMicroseconds"/>.</exception>
        public static ControlLoop Build(RigProfile profile, IRigSensors sensors, IMotorDriver motor, IMicrosecondClock clock)
        {
            if (PeriodMicroseconds(profile) != FirmwareSettings.ControlPeriodMicroseconds)
            {
                throw new System.ArgumentException("The profile's control period differs from FirmwareSettings.ControlPeriodMicroseconds.", "profile");
            }

            // The PCNT may count fewer than four edges per quadrature cycle (FirmwareSettings).
            float countScale = FirmwareSettings.EncoderCountsPerQuadratureCycle / 4f;
            return ControllerFactory.Build(FirmwareSettings.Planner(), profile, countScale, sensors, motor, clock);
        }

        /// <summary>
        /// Builds the loop for <paramref name="profile"/> with <see cref="FirmwareSettings.Planner"/> at the sizes
        /// and seed of <paramref name="sizes"/> (its Horizon in model steps), around the given hardware. The
        /// supervisor starts in Idle, not homed, with AutoStart off.
        /// </summary>
        /// <param name="profile">The rig; its control period may be any the profile allows (HIL takes it from a Configuration).</param>
        /// <param name="sizes">Samples, Horizon (model steps), Iterations, Elites and Seed; its other settings are not used.</param>
        /// <param name="encoderCountScale">Counts the sensors deliver per count the profile's scales assume: 1 for exact x4 counts (HIL), see <see cref="FirmwareSettings.EncoderCountsPerQuadratureCycle"/> on the rig.</param>
        /// <param name="sensors">Encoders, limit switches, E-stop.</param>
        /// <param name="motor">The drive.</param>
        /// <param name="clock">The clock the planning time is measured with.</param>
        /// <exception cref="System.ArgumentException">A setting is out of range.</exception>
        public static ControlLoop Build(RigProfile profile, CemSettings sizes, float encoderCountScale, IRigSensors sensors, IMotorDriver motor, IMicrosecondClock clock)
        {
            PlannerDefinition planner = FirmwareSettings.Planner();
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
