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
    /// estimator, supervisor, CEM swing-up planner, LQR balance, drive actuator. Called once at start-up;
    /// everything the ticks use is allocated here.
    /// </summary>
    /// <remarks>
    /// Planner sizes: 8 samples x 2 iterations x 40 steps of 20 ms = 640 model steps per planning tick,
    /// and none while the LQR balances. DESIGN.md estimates a few hundred model steps per 20 ms tick
    /// for the ESP32 interpreter, so this is at the edge of the budget and must be measured on the board
    /// (PlanningMicroseconds in the telemetry). In the simulator,
    /// <c>run --planner cem-lqr --samples 8 --iterations 2 --elites 2 --horizon 40 --duration 20</c>
    /// swung up and balanced for seeds 1 to 5 (upright after 2.5-2.6 s).
    /// </remarks>
    internal static class ControlStack
    {
        /// <summary>Builds the loop for <paramref name="profile"/> around the given hardware.</summary>
        /// <exception cref="System.ArgumentException">A setting is out of range, or the profile's control period is not <see cref="FirmwareSettings.ControlPeriodMicroseconds"/>.</exception>
        public static ControlLoop Build(RigProfile profile, IRigSensors sensors, IMotorDriver motor, IMicrosecondClock clock)
        {
            float controlPeriod = profile.ControlPeriodSeconds;
            int periodMicroseconds = (int)(controlPeriod * 1000000f + 0.5f);
            if (periodMicroseconds != FirmwareSettings.ControlPeriodMicroseconds)
            {
                throw new System.ArgumentException("The profile's control period differs from FirmwareSettings.ControlPeriodMicroseconds.", "profile");
            }

            // The PCNT may count fewer than four edges per quadrature cycle (FirmwareSettings).
            float countScale = FirmwareSettings.EncoderCountsPerQuadratureCycle / 4f;
            var estimator = new EncoderStateEstimator(
                profile.CartCountsPerMeter * countScale,
                profile.PoleCountsPerRevolution * countScale,
                controlPeriod,
                FirmwareSettings.VelocityFilterWeight,
                FirmwareSettings.MaxCartSpeedMetersPerSecond,
                FirmwareSettings.MaxPoleSpeedRadiansPerSecond);
            var supervisor = new Supervisor(SupervisorSettings.ForProfile(profile), estimator);

            CartPoleParameters parameters = profile.CopyParameters();
            var model = new CartPoleModel(parameters);
            MotorParameters drive = profile.CopyMotor();
            var rolloutSettings = new RolloutSettings
            {
                ControlPeriodSeconds = controlPeriod,
                ModelStepSeconds = FirmwareSettings.PlannerModelStepSeconds,
                HorizonSteps = FirmwareSettings.PlannerHorizonSteps,
                StepsPerKnot = 1,
            };
            var rollout = new CartPoleRollout(model, new SwingUpCost(new SwingUpCostSettings(), parameters.TrackHalfLengthMeters), rolloutSettings, drive);
            var cemSettings = new CemSettings
            {
                Samples = FirmwareSettings.PlannerSamples,
                Horizon = rollout.KnotCount,
                Iterations = FirmwareSettings.PlannerIterations,
                Elites = FirmwareSettings.PlannerElites,
                Result = CemResult.BestSample,
                Seed = FirmwareSettings.PlannerSeed,
            };
            var swingUp = new RecedingHorizonController(new CemOptimizer(cemSettings, rollout), rollout, rollout.KnotsPerControlPeriod);

            // The simulator's LQR weights (x, xDot, theta, thetaDot) and command weight.
            float[] stateWeights = new float[] { 10f, 1f, 100f, 1f };
            var balance = new LqrPolicy(new LinearQuadraticRegulator(model, drive, controlPeriod, stateWeights, 1f));

            var actuator = new MotorActuator(ActuationSettings.ForProfile(profile));
            int planningBudget = (int)(FirmwareSettings.PlanningBudgetFraction * FirmwareSettings.ControlPeriodMicroseconds);
            return new ControlLoop(sensors, motor, clock, estimator, supervisor, swingUp, balance, actuator, drive, planningBudget);
        }
    }
}
