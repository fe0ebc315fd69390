using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// Cross-Entropy Method with a diagonal Gaussian over the action sequence (one mean and one
    /// standard deviation per time step), top-k elites, smoothed mean and standard-deviation
    /// updates, a standard-deviation floor and clipping to the action bounds. Returns either the
    /// cheapest sample of all iterations or the final mean (<see cref="CemSettings.Result"/>).
    /// </summary>
    /// <remarks>
    /// Per call: mean = incoming plan, sigma = InitialStandardDeviation. Each iteration draws
    /// a_i,t = clip(mean_t + sigma_t n_i,t), n ~ N(0, 1), scores every a_i, takes the Elites cheapest
    /// and refits (de Boer et al. 2005; smoothing as in PETS, Chua et al. 2018):
    /// <code>
    ///   mean_t  = alpha mean_t  + (1 - alpha) mean(elite a_t)
    ///   sigma_t = max(floor, alpha sigma_t + (1 - alpha) std(elite a_t))
    /// </code>
    /// Model steps per call: Samples x Iterations x Horizon x substeps.
    /// </remarks>
    public sealed class CemOptimizer : IActionSequenceOptimizer, IAnytimePlanner
    {
        private readonly IRolloutEvaluator _evaluator;
        private readonly SeededRandom _random;
        private readonly CemSettings _settings;
        private readonly int _samples;
        private readonly int _horizon;
        private readonly int _elites;

        // Workspace, allocated once and sized from the settings.
        private readonly float[] _sampleActions;   // [samples x horizon], row-major: sample i at i * horizon
        private readonly float[] _sampleCosts;     // [samples]
        private readonly int[] _eliteIndices;      // [elites], sample indices sorted by increasing cost
        private readonly float[] _mean;            // [horizon]
        private readonly float[] _standardDeviation; // [horizon]
        private readonly float[] _bestActions;     // [horizon], cheapest sample seen this call
        private int _eliteCount;                   // valid entries of _eliteIndices (fewer than Elites only if costs were NaN)
        private PlanningDeadline _deadline;        // null: run to the full size

        /// <exception cref="System.ArgumentException">A setting is outside its range.</exception>
        public CemOptimizer(CemSettings settings, IRolloutEvaluator evaluator)
        {
            Validation.RequireNotNull(settings, nameof(settings));
            Validation.RequireNotNull(evaluator, nameof(evaluator));
            settings.Validate();
            _settings = settings;
            _evaluator = evaluator;
            _samples = settings.Samples;
            _horizon = settings.Horizon;
            _elites = settings.Elites;
            _random = new SeededRandom(settings.Seed);
            _sampleActions = new float[_samples * _horizon];
            _sampleCosts = new float[_samples];
            _eliteIndices = new int[_elites];
            _mean = new float[_horizon];
            _standardDeviation = new float[_horizon];
            _bestActions = new float[_horizon];
        }

        /// <inheritdoc />
        public int Horizon => _horizon;

        /// <inheritdoc />
        public void UseDeadline(PlanningDeadline deadline) => _deadline = deadline;

        /// <inheritdoc />
        public float Optimize(ref CartPoleState start, float[] plan)
        {
            PlannerValidation.AssertPlanLength(plan, _horizon);
            float actionMin = _settings.ActionMin;
            float actionMax = _settings.ActionMax;
            float alpha = _settings.Smoothing;
            float floor = _settings.MinimumStandardDeviation;
            for (int t = 0; t < _horizon; t++)
            {
                _mean[t] = FloatMath.Clamp(plan[t], actionMin, actionMax);
                _standardDeviation[t] = _settings.InitialStandardDeviation;
            }

            float bestCost = float.PositiveInfinity;
            bool stopped = false; // the deadline ended planning: the best sample so far (or the incoming plan) stands
            for (int iteration = 0; iteration < _settings.Iterations && !stopped; iteration++)
            {
                for (int i = 0; i < _samples; i++)
                {
                    if (PlanningDeadline.StopsNow(_deadline))
                    {
                        stopped = true;
                        break;
                    }

                    int row = i * _horizon;
                    for (int t = 0; t < _horizon; t++)
                    {
                        float action = _mean[t] + _standardDeviation[t] * _random.NextGaussian();
                        _sampleActions[row + t] = FloatMath.Clamp(action, actionMin, actionMax);
                    }

                    float cost = _evaluator.RolloutCost(ref start, _sampleActions, row, _horizon);
                    _sampleCosts[i] = cost;
                    if (cost < bestCost)
                    {
                        bestCost = cost;
                        System.Array.Copy(_sampleActions, row, _bestActions, 0, _horizon);
                    }
                }

                if (stopped)
                {
                    break;
                }

                _eliteCount = EliteStatistics.SelectCheapest(_sampleCosts, _samples, _eliteIndices, _elites);
                EliteStatistics.Refit(_sampleActions, _horizon, _eliteIndices, _eliteCount, _mean, _standardDeviation, alpha, floor);
            }

            if (_settings.Result == CemResult.Mean)
            {
                System.Array.Copy(_mean, plan, _horizon);
                return stopped ? bestCost : _evaluator.RolloutCost(ref start, plan, 0, _horizon);
            }

            if (float.IsPositiveInfinity(bestCost) || float.IsNaN(bestCost))
            {
                // Every rollout was non-finite: keep the mean rather than an arbitrary sample.
                System.Array.Copy(_mean, plan, _horizon);
                return bestCost;
            }

            System.Array.Copy(_bestActions, plan, _horizon);
            return bestCost;
        }

        /// <inheritdoc />
        public void Reset()
        {
            _random.Reseed(_settings.Seed);
        }
    }
}
