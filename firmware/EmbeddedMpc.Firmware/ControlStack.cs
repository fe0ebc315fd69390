using EmbeddedMpc.Core.Actuation;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using EmbeddedMpc.Core.Policies;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.Firmware
{
    /// <summary>
    /// Builds the Core's control loop for the rig, wired the way the simulator wires it
    /// (host-sim/Simulation/RigSimulation.cs and PlannerCatalog.cs, planner "cem-lqr"): encoder
    /// estimator, supervisor, CEM swing-up planner, LQR balance, drive actuator. Called once at start-up
    /// on the rig, and at each Hello and accepted Configuration in HIL mode (<see cref="Hil.HilController"/>);
    /// everything the ticks use is allocated here. Uses the Core only, so the host tests build it too
    /// (tests/EmbeddedMpc.Tests/Firmware) and check that it makes the simulator's decisions.
    /// </summary>
    /// <remarks>
    /// The rig plans with the Core's <see cref="Esp32Planner"/> (30 model steps per swing-up tick, the LQR in
    /// Balance), sized so that its largest tick fits the 16 ms planning budget on the ESP32 by the host's
    /// interpreter cost measure (README.md, "The planning budget"), and armed with the loop's deadline.
    /// HIL mode plans with the CEM a Configuration sets (default <see cref="DefaultPlannerSettings"/>:
    /// 8 samples x 2 iterations x 40 steps of 20 ms = 640 model steps, the simulator's
    /// <c>run --planner cem-lqr --samples 8 --iterations 2 --elites 2 --horizon 40</c>): the protocol carries
    /// CEM sizes and no planner kind. That CEM needs some 5 to 10 times the budget on the ESP32.
    /// </remarks>
    internal static class ControlStack
    {
        /// <summary>
        /// The planner sizes this firmware runs with (<see cref="FirmwareSettings"/>): CEM with
        /// <see cref="CemSettings.Horizon"/> counted in model steps (one knot per step), best sample, seed
        /// <see cref="FirmwareSettings.PlannerSeed"/>. A new object per call.
        /// </summary>
        public static CemSettings DefaultPlannerSettings()
        {
            return new CemSettings
            {
                Samples = FirmwareSettings.PlannerSamples,
                Horizon = FirmwareSettings.PlannerHorizonSteps,
                Iterations = FirmwareSettings.PlannerIterations,
                Elites = FirmwareSettings.PlannerElites,
                Result = CemResult.BestSample,
                Seed = FirmwareSettings.PlannerSeed,
            };
        }

        /// <summary>
        /// Builds the loop for the rig itself: <paramref name="profile"/>, the planner sized for this board's
        /// interpreter (the Core's <see cref="Esp32Planner"/>, the simulator's icem-esp32), and the PCNT's counts per quadrature cycle
        /// (<see cref="FirmwareSettings.EncoderCountsPerQuadratureCycle"/>) around the ESP32 drivers.
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
            return Build(profile, DefaultPlannerSettings(), countScale, sensors, motor, clock, true);
        }

        /// <summary>
        /// Builds the loop for <paramref name="profile"/> with the planner sizes and seed of
        /// <paramref name="planner"/> (its Horizon in model steps of <see cref="FirmwareSettings.PlannerModelStepSeconds"/>),
        /// around the given hardware. The supervisor starts in Idle, not homed, with AutoStart off.
        /// </summary>
        /// <param name="profile">The rig; its control period may be any the profile allows (HIL takes it from a Configuration).</param>
        /// <param name="planner">Samples, Horizon (model steps), Iterations, Elites and Seed; the other CEM settings are the defaults.</param>
        /// <param name="encoderCountScale">Counts the sensors deliver per count the profile's scales assume: 1 for exact x4 counts (HIL), see <see cref="FirmwareSettings.EncoderCountsPerQuadratureCycle"/> on the rig.</param>
        /// <param name="sensors">Encoders, limit switches, E-stop.</param>
        /// <param name="motor">The drive.</param>
        /// <param name="clock">The clock the planning time is measured with.</param>
        /// <param name="esp32Planner">True: plan with the Core's <see cref="Esp32Planner"/> (seed <see cref="FirmwareSettings.PlannerSeed"/>, the rig's planner) instead of <paramref name="planner"/>'s CEM (HIL mode, as a Configuration sets it).</param>
        /// <exception cref="System.ArgumentException">A setting is out of range.</exception>
        public static ControlLoop Build(RigProfile profile, CemSettings planner, float encoderCountScale, IRigSensors sensors, IMotorDriver motor, IMicrosecondClock clock,
            bool esp32Planner = false)
        {
            float controlPeriod = profile.ControlPeriodSeconds;
            var estimator = new EncoderStateEstimator(
                profile.CartCountsPerMeter * encoderCountScale,
                profile.PoleCountsPerRevolution * encoderCountScale,
                controlPeriod,
                FirmwareSettings.VelocityFilterWeight,
                FirmwareSettings.MaxCartSpeedMetersPerSecond,
                FirmwareSettings.MaxPoleSpeedRadiansPerSecond);
            var supervisor = new Supervisor(SupervisorSettings.ForProfile(profile), estimator);

            CartPoleParameters parameters = profile.CopyParameters();
            var model = new CartPoleModel(parameters);
            MotorParameters drive = profile.CopyMotor();
            IPolicy swingUp = esp32Planner
                ? Esp32Planner.SwingUp(model, drive, parameters.TrackHalfLengthMeters, controlPeriod, FirmwareSettings.PlannerSeed)
                : CemSwingUp(planner, model, drive, parameters, controlPeriod);

            // The simulator's LQR for cem-lqr (host-sim PlannerCatalog.Lqr): weights on x, xDot, theta,
            // thetaDot, and on the command.
            float[] stateWeights = new float[] { 1f, 0.5f, 50f, 0.5f };
            IPolicy balance = esp32Planner
                ? Esp32Planner.Balance(model, drive, controlPeriod)
                : new LqrPolicy(new LinearQuadraticRegulator(model, drive, controlPeriod, stateWeights, 10f));

            var actuator = new MotorActuator(ActuationSettings.ForProfile(profile));
            int planningBudget = (int)(FirmwareSettings.PlanningBudgetFraction * PeriodMicroseconds(profile));
            var loop = new ControlLoop(sensors, motor, clock, estimator, supervisor, swingUp, balance, actuator, drive, planningBudget);
            // The rig's planner plans anytime: it stops at the budget with its best plan so far. HIL mode's CEM keeps
            // planning to its full size, so that a lockstep run stays the simulator's run tick for tick.
            loop.StopsPlanningAtBudget = esp32Planner;
            return loop;
        }

        private static IPolicy CemSwingUp(CemSettings planner, CartPoleModel model, MotorParameters drive, CartPoleParameters parameters, float controlPeriod)
        {
            var rolloutSettings = new RolloutSettings
            {
                ControlPeriodSeconds = controlPeriod,
                ModelStepSeconds = FirmwareSettings.PlannerModelStepSeconds,
                HorizonSteps = planner.Horizon,
                StepsPerKnot = 1,
            };
            var rollout = new CartPoleRollout(model, new SwingUpCost(new SwingUpCostSettings(), parameters.TrackHalfLengthMeters), rolloutSettings, drive);
            var cemSettings = new CemSettings
            {
                Samples = planner.Samples,
                Horizon = rollout.KnotCount,
                Iterations = planner.Iterations,
                Elites = planner.Elites,
                Result = CemResult.BestSample,
                Seed = planner.Seed,
            };
            return new RecedingHorizonController(new CemOptimizer(cemSettings, rollout), rollout, rollout.KnotsPerControlPeriod);
        }

        /// <summary>The profile's control period in whole microseconds.</summary>
        public static int PeriodMicroseconds(RigProfile profile)
        {
            return (int)(profile.ControlPeriodSeconds * 1000000f + 0.5f);
        }
    }
}
