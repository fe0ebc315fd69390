using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// iCEM (Pinneri et al., "Sample-efficient cross-entropy method for real-time planning", CoRL 2020):
    /// CEM with a diagonal Gaussian plus the paper's refinements, each switchable in
    /// <see cref="ImprovedCemSettings"/>: temporally correlated (low-frequency) sampling noise, population
    /// decay across iterations, a fraction of each iteration's elites kept into the next, the last
    /// call's elites shifted by one control period into the first iteration, the mean added as a sample
    /// in the last iteration, and the best sequence (not the mean) executed.
    /// Model steps per call: (sum over iterations of the new samples, plus the mean) x rollout length.
    /// </summary>
    public sealed class ImprovedCemOptimizer : IActionSequenceOptimizer, IAnytimePlanner
    {
        private readonly IRolloutEvaluator _evaluator;
        private readonly ImprovedCemSettings _settings;
        private readonly SeededRandom _random;
        private readonly int _horizon;
        private readonly int _elites;
        private readonly int _keptPerIteration;
        private readonly CorrelatedNoise _noise;

        // Workspace, allocated once and sized from the settings.
        private readonly float[] _population;         // [capacity x horizon], row-major: member i at i * horizon
        private readonly float[] _populationCosts;    // [capacity]
        private readonly int[] _eliteIndices;         // [elites], population indices sorted by cost
        private readonly float[] _previousElites;     // [elites x horizon]: the last call's elites (then the last iteration's)
        private readonly float[] _previousEliteCosts; // [elites]
        private readonly float[] _mean;               // [horizon]
        private readonly float[] _standardDeviation;  // [horizon]
        private readonly float[] _best;               // [horizon]
        private int _previousEliteCount;              // valid rows of _previousElites carried from the last call
        private PlanningDeadline _deadline;           // null: run to the full size

        /// <exception cref="System.ArgumentException">A setting is outside its range.</exception>
        public ImprovedCemOptimizer(ImprovedCemSettings settings, IRolloutEvaluator evaluator)
        {
            Validation.RequireNotNull(settings, nameof(settings));
            Validation.RequireNotNull(evaluator, nameof(evaluator));
            settings.Validate();
            _settings = settings;
            _evaluator = evaluator;
            _random = new SeededRandom(settings.Seed);
            _horizon = settings.Horizon;
            _elites = settings.Elites;
            _keptPerIteration = (int)(settings.KeepEliteFraction * settings.Elites + 0.5f);
            _noise = new CorrelatedNoise(_random, settings.NoiseCorrelation);
            int capacity = settings.Samples + settings.Elites + 1;
            _population = new float[capacity * _horizon];
            _populationCosts = new float[capacity];
            _eliteIndices = new int[_elites];
            _previousElites = new float[_elites * _horizon];
            _previousEliteCosts = new float[_elites];
            _mean = new float[_horizon];
            _standardDeviation = new float[_horizon];
            _best = new float[_horizon];
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
            for (int t = 0; t < _horizon; t++)
            {
                _mean[t] = FloatMath.Clamp(plan[t], actionMin, actionMax);
                _standardDeviation[t] = _settings.InitialStandardDeviation;
            }

            float bestCost = float.PositiveInfinity;
            float newSamples = _settings.Samples;
            bool stopped = false; // the deadline ended planning: this iteration ends with the members scored so far
            for (int iteration = 0; iteration < _settings.Iterations && !stopped; iteration++)
            {
                int size = 0;

                // Carried members: the last call's elites, shifted one control period (first iteration),
                // or a fraction of the previous iteration's elites (later iterations, costs known).
                if (iteration == 0)
                {
                    if (_settings.ShiftElites)
                    {
                        for (int e = 0; e < _previousEliteCount; e++)
                        {
                            if (PlanningDeadline.StopsNow(_deadline))
                            {
                                stopped = true;
                                break;
                            }

                            int row = size * _horizon;
                            System.Array.Copy(_previousElites, e * _horizon, _population, row, _horizon);
                            PlanShift.Shift(_population, row, _horizon, _settings.KnotsPerTick, _population[row + _horizon - 1]);
                            _populationCosts[size] = _evaluator.RolloutCost(ref start, _population, row, _horizon);
                            size++;
                        }
                    }
                }
                else
                {
                    for (int e = 0; e < _keptPerIteration && e < _previousEliteCount; e++)
                    {
                        System.Array.Copy(_previousElites, e * _horizon, _population, size * _horizon, _horizon);
                        _populationCosts[size] = _previousEliteCosts[e];
                        size++;
                    }
                }

                int draws = (int)newSamples;
                if (draws < _elites + 1)
                {
                    draws = _elites + 1;
                }

                for (int i = 0; i < draws && size < _settings.Samples + _elites && !stopped; i++)
                {
                    if (PlanningDeadline.StopsNow(_deadline))
                    {
                        stopped = true;
                        break;
                    }

                    SampleInto(size * _horizon, actionMin, actionMax);
                    _populationCosts[size] = _evaluator.RolloutCost(ref start, _population, size * _horizon, _horizon);
                    size++;
                }

                stopped = stopped || (iteration == _settings.Iterations - 1 && _settings.AddMeanInLastIteration && PlanningDeadline.StopsNow(_deadline));
                if (iteration == _settings.Iterations - 1 && _settings.AddMeanInLastIteration && !stopped)
                {
                    System.Array.Copy(_mean, 0, _population, size * _horizon, _horizon);
                    _populationCosts[size] = _evaluator.RolloutCost(ref start, _population, size * _horizon, _horizon);
                    size++;
                }

                if (size == 0)
                {
                    _previousEliteCount = 0; // stopped before any rollout: the incoming plan stands
                    break;
                }

                int eliteCount = EliteStatistics.SelectCheapest(_populationCosts, size, _eliteIndices, _elites);
                if (eliteCount > 0 && _populationCosts[_eliteIndices[0]] < bestCost)
                {
                    bestCost = _populationCosts[_eliteIndices[0]];
                    System.Array.Copy(_population, _eliteIndices[0] * _horizon, _best, 0, _horizon);
                }

                EliteStatistics.Refit(_population, _horizon, _eliteIndices, eliteCount, _mean, _standardDeviation, _settings.Smoothing, _settings.MinimumStandardDeviation);
                for (int e = 0; e < eliteCount; e++)
                {
                    System.Array.Copy(_population, _eliteIndices[e] * _horizon, _previousElites, e * _horizon, _horizon);
                    _previousEliteCosts[e] = _populationCosts[_eliteIndices[e]];
                }

                _previousEliteCount = eliteCount;
                newSamples /= _settings.PopulationDecay;
            }

            if (float.IsPositiveInfinity(bestCost))
            {
                // Every rollout was non-finite: keep the mean rather than an arbitrary sample.
                System.Array.Copy(_mean, plan, _horizon);
                return bestCost;
            }

            System.Array.Copy(_best, plan, _horizon);
            return bestCost;
        }

        /// <inheritdoc />
        public void Reset()
        {
            _random.Reseed(_settings.Seed);
            _previousEliteCount = 0;
        }

        // a_k = clip(mean_k + sigma_k e_k), e the correlated noise sequence.
        private void SampleInto(int row, float actionMin, float actionMax)
        {
            float noise = _noise.First();
            for (int t = 0; t < _horizon; t++)
            {
                if (t > 0)
                {
                    noise = _noise.Next(noise);
                }

                _population[row + t] = FloatMath.Clamp(_mean[t] + _standardDeviation[t] * noise, actionMin, actionMax);
            }
        }
    }
}
