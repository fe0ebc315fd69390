using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// Expected-return planning: scores a sequence by the mean cost of its rollouts through several
    /// evaluators ("particles"), typically the same cost under models with different sampled
    /// parameters. A plan that does well only for one model scores worse than one that does well for
    /// all, which is what keeps it working when the real rig differs from the nominal model.
    /// Model steps per evaluation: the sum of the particles'. Allocates nothing after construction.
    /// </summary>
    public sealed class ExpectedCostEvaluator : IRolloutEvaluator
    {
        private readonly IRolloutEvaluator[] _particles;
        private readonly float _inverseCount;

        /// <param name="particles">The evaluators to average over; [1, 100] of them, none null.</param>
        /// <exception cref="System.ArgumentException">The array is null, empty, too long or holds a null.</exception>
        public ExpectedCostEvaluator(IRolloutEvaluator[] particles)
        {
            Validation.RequireNotNull(particles, nameof(particles));
            Validation.RequireInRange(particles.Length, 1, 100, "particles.Length");
            _particles = new IRolloutEvaluator[particles.Length];
            for (int i = 0; i < particles.Length; i++)
            {
                Validation.RequireNotNull(particles[i], nameof(particles));
                _particles[i] = particles[i];
            }

            _inverseCount = 1f / particles.Length;
        }

        /// <summary>Number of particles averaged over.</summary>
        public int ParticleCount => _particles.Length;

        /// <inheritdoc />
        public long ModelStepCount
        {
            get
            {
                long total = 0;
                for (int i = 0; i < _particles.Length; i++)
                {
                    total += _particles[i].ModelStepCount;
                }

                return total;
            }
        }

        /// <inheritdoc />
        public float RolloutCost(ref CartPoleState start, float[] actions, int offset, int horizon)
        {
            float total = 0f;
            for (int i = 0; i < _particles.Length; i++)
            {
                total += _particles[i].RolloutCost(ref start, actions, offset, horizon);
            }

            return total * _inverseCount;
        }
    }
}
