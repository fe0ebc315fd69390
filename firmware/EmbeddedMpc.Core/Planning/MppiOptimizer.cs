using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// Model Predictive Path Integral control (Williams et al., 2017), the information-theoretic form:
    /// each iteration scores the current plan and <c>Samples</c> perturbed copies a_i = clip(plan + e_i)
    /// (e an AR(1) sequence scaled by the noise standard deviation), weights them by
    /// w_i = exp(-(c_i - c_min) / lambda) and moves the plan to the weighted average of the samples:
    /// <code>plan_t = sum_i w_i a_i,t / sum_i w_i</code>
    /// The plan (not the best sample) is returned; the reported cost is the cheapest sample's.
    /// Model steps per call: (Samples + 1) x Iterations x rollout length.
    /// </summary>
    public sealed class MppiOptimizer : IActionSequenceOptimizer, IAnytimePlanner
    {
        private readonly IRolloutEvaluator _evaluator;
        private readonly MppiSettings _settings;
        private readonly SeededRandom _random;
        private readonly int _horizon;
        private readonly int _members;                // Samples + 1 (the unperturbed plan)
        private readonly CorrelatedNoise _noise;

        // Workspace, allocated once.
        private readonly float[] _sampleActions;      // [members x horizon], row-major; member 0 is the plan itself
        private readonly float[] _sampleCosts;        // [members]
        private PlanningDeadline _deadline;           // null: run to the full size

        /// <exception cref="System.ArgumentException">A setting is outside its range.</exception>
        public MppiOptimizer(MppiSettings settings, IRolloutEvaluator evaluator)
        {
            Validation.RequireNotNull(settings, nameof(settings));
            Validation.RequireNotNull(evaluator, nameof(evaluator));
            settings.Validate();
            _settings = settings;
            _evaluator = evaluator;
            _random = new SeededRandom(settings.Seed);
            _horizon = settings.Horizon;
            _members = settings.Samples + 1;
            _noise = new CorrelatedNoise(_random, settings.NoiseCorrelation);
            _sampleActions = new float[_members * _horizon];
            _sampleCosts = new float[_members];
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
            float sigma = _settings.NoiseStandardDeviation;
            float inverseTemperature = 1f / _settings.Temperature;
            float bestCost = float.PositiveInfinity;
            for (int t = 0; t < _horizon; t++)
            {
                plan[t] = FloatMath.Clamp(plan[t], actionMin, actionMax);
            }

            int evaluated = _members; // fewer when the deadline stops an iteration: the update uses the members scored so far
            for (int iteration = 0; iteration < _settings.Iterations && evaluated == _members; iteration++)
            {
                float minimum = float.PositiveInfinity;
                for (int i = 0; i < _members; i++)
                {
                    if (PlanningDeadline.StopsNow(_deadline))
                    {
                        evaluated = i;
                        break;
                    }

                    int row = i * _horizon;
                    float noise = i == 0 ? 0f : _noise.First();
                    for (int t = 0; t < _horizon; t++)
                    {
                        if (i > 0 && t > 0)
                        {
                            noise = _noise.Next(noise);
                        }

                        _sampleActions[row + t] = FloatMath.Clamp(plan[t] + sigma * noise, actionMin, actionMax);
                    }

                    float cost = _evaluator.RolloutCost(ref start, _sampleActions, row, _horizon);
                    _sampleCosts[i] = cost;
                    if (cost < minimum)
                    {
                        minimum = cost;
                    }
                }

                if (!FloatMath.IsFinite(minimum))
                {
                    continue; // every rollout non-finite: keep the plan
                }

                bestCost = minimum < bestCost ? minimum : bestCost;
                float weightSum = 0f;
                for (int i = 0; i < evaluated; i++)
                {
                    // exp of a non-positive number: in (0, 1]; NaN costs get weight 0.
                    float cost = _sampleCosts[i];
                    float weight = float.IsNaN(cost) ? 0f : FloatMath.Exp((minimum - cost) * inverseTemperature);
                    _sampleCosts[i] = weight;
                    weightSum += weight;
                }

                float inverseSum = 1f / weightSum;
                for (int t = 0; t < _horizon; t++)
                {
                    float sum = 0f;
                    for (int i = 0; i < evaluated; i++)
                    {
                        sum += _sampleCosts[i] * _sampleActions[i * _horizon + t];
                    }

                    plan[t] = sum * inverseSum;
                }
            }

            return bestCost;
        }

        /// <inheritdoc />
        public void Reset()
        {
            _random.Reseed(_settings.Seed);
        }
    }
}
