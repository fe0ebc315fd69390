using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Policies;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// The planner sized for the ESP32's interpreter (the simulator's <c>icem-esp32</c> and the firmware's
    /// rig planner; one definition for both): iCEM on the dm_control reward with the LQR's cost-to-go as
    /// terminal value, planning 10 model steps of 80 ms (0.8 s ahead) with the action linear between 3 knots
    /// (every 5 steps), one iteration per tick of the last tick's best sequence shifted by one period and 2
    /// new samples (30 model steps per tick), the best of them executed; the LQR of the same reward balances.
    /// The iterations of a CEM are spread over ticks by the warm start: each tick refines the shifted plan.
    /// </summary>
    /// <remarks>
    /// Chosen by measurement (host-sim `cost` and `bench`, firmware/EmbeddedMpc.Firmware/README.md): the
    /// largest of its ticks counts some 29,600 IL instructions, 89 % of the 16 ms planning budget of a 20 ms
    /// tick at the slow end of the ESP32 estimate; 80 ms steps of the semi-implicit Euler model still swing
    /// up the rig, 100 ms steps no longer do.
    /// </remarks>
    public static class Esp32Planner
    {
        /// <summary>The planning model's step, s.</summary>
        public const float ModelStepSeconds = 0.08f;

        /// <summary>Model steps per rollout (0.8 s of look-ahead).</summary>
        public const int HorizonSteps = 10;

        /// <summary>Model steps between two knots of the action sequence.</summary>
        public const int StepsPerKnot = 5;

        /// <summary>New samples per tick.</summary>
        public const int Samples = 2;

        /// <summary>Elites: the best sequence, carried (shifted) into the next tick.</summary>
        public const int Elites = 1;

        /// <summary>iCEM iterations per tick.</summary>
        public const int Iterations = 1;

        /// <summary>The iCEM settings of this planner for a rollout of <paramref name="knotCount"/> knots advancing <paramref name="knotsPerTick"/> per control period.</summary>
        public static ImprovedCemSettings Settings(int knotCount, float knotsPerTick, uint seed)
        {
            return new ImprovedCemSettings
            {
                Samples = Samples,
                Horizon = knotCount,
                Iterations = Iterations,
                Elites = Elites,
                KnotsPerTick = knotsPerTick,
                // Three rollouts per tick, not four: the mean is the shifted elite's neighbour already.
                AddMeanInLastIteration = false,
                Seed = seed,
            };
        }

        /// <summary>The rollout grid: <see cref="HorizonSteps"/> steps of <see cref="ModelStepSeconds"/>, a knot every <see cref="StepsPerKnot"/>.</summary>
        public static RolloutSettings Grid(float controlPeriodSeconds)
        {
            return new RolloutSettings
            {
                ControlPeriodSeconds = controlPeriodSeconds,
                ModelStepSeconds = ModelStepSeconds,
                HorizonSteps = HorizonSteps,
                StepsPerKnot = StepsPerKnot,
            };
        }

        /// <summary>
        /// The LQR whose cost is the dm_control reward's quadratic approximation near upright: the balance
        /// policy, and the swing-up's terminal value.
        /// </summary>
        /// <exception cref="System.ArgumentException">An argument is out of range.</exception>
        public static LinearQuadraticRegulator RewardLqr(CartPoleModel model, MotorParameters drive, float controlPeriodSeconds)
        {
            float[] weights = new float[5];
            DmControlRewardCost.QuadraticWeights(weights);
            float[] stateWeights = new float[] { weights[0], weights[1], weights[2], weights[3] };
            return new LinearQuadraticRegulator(model, drive, controlPeriodSeconds, stateWeights, weights[4]);
        }

        /// <summary>
        /// The swing-up planner over <paramref name="grid"/> with the given sizes (this class's, or a run's
        /// own: the simulator's --samples, --iterations, --elites, --horizon).
        /// </summary>
        /// <exception cref="System.ArgumentException">A setting is out of range.</exception>
        public static RecedingHorizonController SwingUp(CartPoleModel model, MotorParameters drive, float trackHalfLengthMeters, RolloutSettings grid,
            int samples, int iterations, int elites, uint seed)
        {
            ICost cost = new LqrTerminalCost(new DmControlRewardCost(trackHalfLengthMeters), RewardLqr(model, drive, grid.ControlPeriodSeconds), 1f);
            var rollout = new CartPoleRollout(model, cost, grid, drive);
            ImprovedCemSettings settings = Settings(rollout.KnotCount, rollout.KnotsPerControlPeriod, seed);
            settings.Samples = samples;
            settings.Iterations = iterations;
            settings.Elites = elites;
            return new RecedingHorizonController(new ImprovedCemOptimizer(settings, rollout), rollout, rollout.KnotsPerControlPeriod);
        }

        /// <summary>The swing-up planner with this class's sizes.</summary>
        /// <exception cref="System.ArgumentException">An argument is out of range.</exception>
        public static RecedingHorizonController SwingUp(CartPoleModel model, MotorParameters drive, float trackHalfLengthMeters, float controlPeriodSeconds, uint seed)
        {
            return SwingUp(model, drive, trackHalfLengthMeters, Grid(controlPeriodSeconds), Samples, Iterations, Elites, seed);
        }

        /// <summary>The balance policy: the LQR of <see cref="RewardLqr"/>.</summary>
        /// <exception cref="System.ArgumentException">An argument is out of range.</exception>
        public static LqrPolicy Balance(CartPoleModel model, MotorParameters drive, float controlPeriodSeconds)
        {
            return new LqrPolicy(RewardLqr(model, drive, controlPeriodSeconds));
        }
    }
}
