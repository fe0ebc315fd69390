using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// Random shooting: scores the incoming plan and <c>Samples - 1</c> sequences of independent
    /// actions drawn uniformly from [ActionMin, ActionMax], and returns the cheapest. Because the
    /// incoming (warm-start) plan is a candidate, the result never costs more than it.
    /// </summary>
    public sealed class RandomShootingOptimizer : IActionSequenceOptimizer, IAnytimePlanner
    {
        private readonly IRolloutEvaluator _evaluator;
        private readonly SeededRandom _random;
        private readonly int _samples;
        private readonly int _horizon;
        private readonly float _actionMin;
        private readonly float _actionMax;
        private readonly uint _seed;

        // Workspace, allocated once.
        private readonly float[] _candidate; // [horizon]: the sequence being scored
        private PlanningDeadline _deadline;   // null: score every sample

        /// <exception cref="System.ArgumentException">A setting is outside its range.</exception>
        public RandomShootingOptimizer(RandomShootingSettings settings, IRolloutEvaluator evaluator)
        {
            Validation.RequireNotNull(settings, nameof(settings));
            Validation.RequireNotNull(evaluator, nameof(evaluator));
            settings.Validate();
            _evaluator = evaluator;
            _samples = settings.Samples;
            _horizon = settings.Horizon;
            _actionMin = settings.ActionMin;
            _actionMax = settings.ActionMax;
            _seed = settings.Seed;
            _random = new SeededRandom(settings.Seed);
            _candidate = new float[_horizon];
        }

        /// <inheritdoc />
        public int Horizon => _horizon;

        /// <inheritdoc />
        public void UseDeadline(PlanningDeadline deadline) => _deadline = deadline;

        /// <inheritdoc />
        public float Optimize(ref CartPoleState start, float[] plan)
        {
            PlannerValidation.AssertPlanLength(plan, _horizon);
            for (int t = 0; t < _horizon; t++)
            {
                plan[t] = FloatMath.Clamp(plan[t], _actionMin, _actionMax);
            }

            float bestCost = _evaluator.RolloutCost(ref start, plan, 0, _horizon);
            for (int i = 1; i < _samples && !PlanningDeadline.StopsNow(_deadline); i++)
            {
                for (int t = 0; t < _horizon; t++)
                {
                    _candidate[t] = _random.NextUniform(_actionMin, _actionMax);
                }

                float cost = _evaluator.RolloutCost(ref start, _candidate, 0, _horizon);
                if (cost < bestCost || float.IsNaN(bestCost))
                {
                    bestCost = cost;
                    System.Array.Copy(_candidate, plan, _horizon);
                }
            }

            return bestCost;
        }

        /// <inheritdoc />
        public void Reset()
        {
            _random.Reseed(_seed);
        }
    }
}
