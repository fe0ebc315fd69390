using EmbeddedMpc.Core.Actuation;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using EmbeddedMpc.Core.Policies;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.Core.Catalog
{
    /// <summary>
    /// The one place the controller is wired: the planner pair of a <see cref="PlannerDefinition"/>
    /// (<see cref="BuildPlanner(PlannerDefinition, RigProfile, CartPoleParameters, bool, IRolloutEvaluatorSource)"/>),
    /// the encoder estimator, the supervisor, the drive actuator and the control loop with its planning
    /// budget (<see cref="BuildLoop(RigProfile, IStateEstimator, IPolicy, IPolicy, IRigSensors, IMotorDriver, IMicrosecondClock)"/>). The firmware on the rig and in HIL, the simulator, the virtual
    /// HIL device and the tests all build through here, so a seeded run makes the same decisions on each.
    /// Everything is allocated here, at start-up; nothing on the tick path.
    /// </summary>
    public static class ControllerFactory
    {
        /// <summary>
        /// Share of the control period the planner may take before the tick counts as a planner overrun
        /// (the supervisor faults after <see cref="SupervisorSettings.MaxOverrunStreak"/> in a row). The rest
        /// of the period is for sensors, actuation and telemetry.
        /// </summary>
        public const float PlanningBudgetFraction = 0.8f;

        /// <summary>Weight of the newest difference in the encoder estimator's velocity filter.</summary>
        public const float VelocityFilterWeight = 0.7f;

        /// <summary>Fastest plausible cart speed, m/s: a larger jump between two readings is an encoder fault.</summary>
        public const float MaxCartSpeedMetersPerSecond = 5f;

        /// <summary>Fastest plausible pole speed, rad/s: a larger jump between two readings is an encoder fault.</summary>
        public const float MaxPoleSpeedRadiansPerSecond = 60f;

        /// <summary>Weight of the energy deficit added to the swing-up cost's terminal cost (<see cref="PlanningCost.TaskWithTerminalValue"/>).</summary>
        public const float EnergyTerminalWeight = 3f;

        /// <summary>Energy swing-up: k_E, m/s² per unit of energy normalized by m g l.</summary>
        public const float EnergyGain = 40f;

        /// <summary>Energy swing-up: the pumping term saturates at this share of the force limit's acceleration of cart and pole.</summary>
        public const float EnergyAccelerationFraction = 0.8f;

        /// <summary>Energy swing-up: the cart's centring stiffness k_x, 1/s².</summary>
        public const float EnergyPositionGain = 1f;

        /// <summary>Energy swing-up: the cart's centring damping k_v, 1/s.</summary>
        public const float EnergyVelocityGain = 1.5f;

        /// <summary>Weight of the balance LQR's command u^2.</summary>
        public const float BalanceLqrCommandWeight = 10f;

        /// <summary>Whether <paramref name="profile"/> measures with encoders (non-zero resolutions) rather than exactly.</summary>
        public static bool HasEncoders(RigProfile profile)
        {
            return profile.CartCountsPerMeter > 0f && profile.PoleCountsPerRevolution > 0f;
        }

        /// <summary>The profile's control period in whole microseconds.</summary>
        public static int PeriodMicroseconds(RigProfile profile)
        {
            return (int)(profile.ControlPeriodSeconds * 1000000f + 0.5f);
        }

        /// <summary>Planning longer than this counts as an overrun, µs: <see cref="PlanningBudgetFraction"/> of the control period.</summary>
        public static int PlanningBudgetMicroseconds(RigProfile profile)
        {
            return (int)(PlanningBudgetFraction * PeriodMicroseconds(profile));
        }

        /// <summary>
        /// Builds the whole controller of a rig that measures with encoders: the estimator of
        /// <see cref="CreateEncoderEstimator"/>, the swing-up planner of <paramref name="definition"/> on the
        /// profile's own model, and the loop of <see cref="BuildLoop(RigProfile, IStateEstimator, IPolicy, IPolicy, IRigSensors, IMotorDriver, IMicrosecondClock)"/>. The supervisor starts in Idle, not homed,
        /// with AutoStart off.
        /// </summary>
        /// <param name="definition">The planner (sizes and seed included).</param>
        /// <param name="profile">The rig.</param>
        /// <param name="encoderCountScale">Counts the sensors deliver per count the profile's scales assume: 1 for exact x4 decoding; (0, 1000].</param>
        /// <param name="sensors">Encoders, limit switches, E-stop.</param>
        /// <param name="motor">The drive.</param>
        /// <param name="clock">The clock the planning time is measured with.</param>
        /// <exception cref="System.ArgumentException">A setting is out of range, or the profile has no encoders.</exception>
        public static ControlLoop Build(PlannerDefinition definition, RigProfile profile, float encoderCountScale,
            IRigSensors sensors, IMotorDriver motor, IMicrosecondClock clock)
        {
            EncoderStateEstimator estimator = CreateEncoderEstimator(profile, encoderCountScale);
            PlannerPolicies planner = BuildPlanner(definition, profile, profile.CopyParameters(), true, null);
            ControlLoop loop = BuildLoop(profile, estimator, planner.SwingUp, planner.Balance, sensors, motor, clock);
            loop.UseAdaptation(planner.Adaptation);
            loop.UseCatchCheck(planner.CatchCheck);
            return loop;
        }

        /// <summary>The encoder estimator for <paramref name="profile"/>'s scales and control period.</summary>
        /// <param name="profile">The rig; it must measure with encoders (<see cref="HasEncoders"/>).</param>
        /// <param name="encoderCountScale">Counts the sensors deliver per count the profile's scales assume; (0, 1000].</param>
        /// <exception cref="System.ArgumentException">The profile has no encoders, or the scale is out of range.</exception>
        public static EncoderStateEstimator CreateEncoderEstimator(RigProfile profile, float encoderCountScale)
        {
            Validation.RequireNotNull(profile, nameof(profile));
            Validation.RequireAbove(encoderCountScale, 0f, 1000f, nameof(encoderCountScale));
            if (!HasEncoders(profile))
            {
                throw new System.ArgumentException("The profile measures the state exactly (no encoder counts); this controller needs encoder counts.", nameof(profile));
            }

            return new EncoderStateEstimator(
                profile.CartCountsPerMeter * encoderCountScale,
                profile.PoleCountsPerRevolution * encoderCountScale,
                profile.ControlPeriodSeconds,
                VelocityFilterWeight,
                MaxCartSpeedMetersPerSecond,
                MaxPoleSpeedRadiansPerSecond);
        }

        /// <summary>
        /// The control loop around <paramref name="estimator"/> and the planner pair: a supervisor for the
        /// profile (Idle, not homed, AutoStart off; reach it through <see cref="ControlLoop.Supervisor"/>),
        /// the profile's actuator and drive, and the planning budget of <see cref="PlanningBudgetMicroseconds"/>.
        /// </summary>
        /// <exception cref="System.ArgumentException">A setting is out of range.</exception>
        public static ControlLoop BuildLoop(RigProfile profile, IStateEstimator estimator, IPolicy swingUp, IPolicy balance,
            IRigSensors sensors, IMotorDriver motor, IMicrosecondClock clock)
        {
            return BuildLoopWithLimits(profile, SupervisorSettings.ForProfile(profile), estimator, swingUp, balance, sensors, motor, clock);
        }

        /// <summary>
        /// As <see cref="BuildLoop"/>, with the supervisor's <paramref name="limits"/> given (e.g. the profile's with the swing-up timeout
        /// off for a task that keeps the pole hanging on purpose).
        /// </summary>
        /// <exception cref="System.ArgumentException">A setting is out of range.</exception>
        public static ControlLoop BuildLoopWithLimits(RigProfile profile, SupervisorSettings limits, IStateEstimator estimator, IPolicy swingUp, IPolicy balance,
            IRigSensors sensors, IMotorDriver motor, IMicrosecondClock clock)
        {
            var supervisor = new Supervisor(limits, estimator);
            var actuator = new MotorActuator(ActuationSettings.ForProfile(profile));
            return new ControlLoop(sensors, motor, clock, estimator, supervisor, swingUp, balance, actuator, profile.CopyMotor(), PlanningBudgetMicroseconds(profile));
        }

        /// <summary>
        /// Builds the SwingUp and Balance policies of <paramref name="definition"/> for <paramref name="profile"/>'s
        /// drive and control period, planning with <paramref name="plannerParameters"/>.
        /// </summary>
        /// <param name="definition">The planner, its sizes and seed.</param>
        /// <param name="profile">The rig: drive and control period.</param>
        /// <param name="plannerParameters">The planner's model (the profile's, or a deliberately mismatched copy); not kept.</param>
        /// <param name="swingUpTask">True: plan on the swing-up cost; false: the pole starts near upright (the balance cost, and the energy baseline balances from the first tick).</param>
        /// <param name="evaluators">Replaces what the sampling planners score with; null: their nominal rollout.</param>
        /// <exception cref="System.ArgumentException">A size is out of range (the message names it), or the kind is unknown.</exception>
        public static PlannerPolicies BuildPlanner(PlannerDefinition definition, RigProfile profile, CartPoleParameters plannerParameters,
            bool swingUpTask, IRolloutEvaluatorSource evaluators)
        {
            Validation.RequireNotNull(definition, nameof(definition));
            Validation.RequireNotNull(profile, nameof(profile));
            Validation.RequireNotNull(plannerParameters, nameof(plannerParameters));
            var build = new PlannerBuild(definition, profile, plannerParameters, swingUpTask, evaluators);
            return build.WithCatchCheck(build.WithAdaptation(BuildPolicies(build, definition.Kind)));
        }

        private static PlannerPolicies BuildPolicies(PlannerBuild build, PlannerKind kind)
        {
            switch (kind)
            {
                case PlannerKind.RandomShooting: return build.RandomShooting();
                case PlannerKind.Cem: return build.Cem();
                case PlannerKind.ImprovedCem: return build.ImprovedCem();
                case PlannerKind.Mppi: return build.Mppi();
                case PlannerKind.IterativeLqr: return build.IterativeLqr();
                case PlannerKind.ImprovedCemThenIterativeLqr: return build.ImprovedCemThenIterativeLqr();
                case PlannerKind.Mcts: return build.Mcts();
                case PlannerKind.EnergySwingUp: return build.EnergySwingUp();
                default: throw new System.ArgumentException("Kind must be one of the PlannerKind values.", "Kind");
            }
        }

        /// <summary>The balance LQR: weights 1, 0.5, 50, 0.5 on x, xDot, theta, thetaDot and <see cref="BalanceLqrCommandWeight"/> on the command.</summary>
        /// <exception cref="System.ArgumentException">The Riccati iteration did not converge, or the step is out of range.</exception>
        public static LinearQuadraticRegulator BalanceLqr(CartPoleModel model, MotorParameters drive, float controlPeriodSeconds)
        {
            // Element by element: a constant array initializer compiles to RuntimeHelpers.InitializeArray.
            var stateWeights = new float[4];
            stateWeights[0] = 1f;
            stateWeights[1] = 0.5f;
            stateWeights[2] = 50f;
            stateWeights[3] = 0.5f;
            return new LinearQuadraticRegulator(model, drive, controlPeriodSeconds, stateWeights, BalanceLqrCommandWeight);
        }

        /// <summary>
        /// An LQR whose cost matches the swing-up stage cost's quadratic approximation near upright
        /// (w_up (1 - cos theta) / 2 ~ w_up theta^2 / 4, w_x (x / L)^2, w_w (thetaDot / 5)^2, w_u u^2),
        /// so that its value s'Ps is the swing-up cost-to-go of balancing.
        /// </summary>
        /// <exception cref="System.ArgumentException">The Riccati iteration did not converge, or the step is out of range.</exception>
        public static LinearQuadraticRegulator SwingUpTerminalLqr(CartPoleModel model, MotorParameters drive, float controlPeriodSeconds)
        {
            var weights = new SwingUpCostSettings();
            float track = model.Parameters.TrackHalfLengthMeters;
            float[] stateWeights = new float[] { weights.CartPositionWeight / (track * track), 1e-3f, weights.UprightWeight / 4f, weights.AngularVelocityWeight / 25f };
            return new LinearQuadraticRegulator(model, drive, controlPeriodSeconds, stateWeights, weights.ControlWeight);
        }

        /// <summary>An LQR whose cost is the dm_control reward cost's quadratic approximation near upright (<see cref="DmControlRewardCost.QuadraticWeights"/>).</summary>
        /// <exception cref="System.ArgumentException">The Riccati iteration did not converge, or the step is out of range.</exception>
        public static LinearQuadraticRegulator DmControlRewardLqr(CartPoleModel model, MotorParameters drive, float controlPeriodSeconds)
        {
            var weights = new float[5];
            DmControlRewardCost.QuadraticWeights(weights);
            float[] stateWeights = new float[] { weights[0], weights[1], weights[2], weights[3] };
            return new LinearQuadraticRegulator(model, drive, controlPeriodSeconds, stateWeights, weights[4]);
        }
    }
}
