using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// The hybrid of a sampling planner and a local one: each call a sampling optimizer (e.g. iCEM)
    /// searches globally and its best sequence initializes a gradient-based refiner (e.g.
    /// <see cref="IterativeLqrOptimizer"/>), which polishes it to the nearby local optimum. Sampling
    /// finds the basin (which way to swing); the local optimizer finds the bottom of it, which random
    /// samples approach only slowly. Both must share the plan's parameterization. Allocates nothing.
    /// </summary>
    public sealed class SampleThenRefineOptimizer : IActionSequenceOptimizer, IAnytimePlanner
    {
        private readonly IActionSequenceOptimizer _sampler;
        private readonly IActionSequenceOptimizer _refiner;

        /// <param name="sampler">The global, sampling optimizer; runs first.</param>
        /// <param name="refiner">The local optimizer; starts from the sampler's plan.</param>
        /// <exception cref="System.ArgumentException">An argument is null or the horizons differ.</exception>
        public SampleThenRefineOptimizer(IActionSequenceOptimizer sampler, IActionSequenceOptimizer refiner)
        {
            Validation.RequireNotNull(sampler, nameof(sampler));
            Validation.RequireNotNull(refiner, nameof(refiner));
            if (sampler.Horizon != refiner.Horizon)
            {
                throw new System.ArgumentException("the sampler's and the refiner's horizons must be equal; got " + sampler.Horizon.ToString() + " and " + refiner.Horizon.ToString() + ".", nameof(refiner));
            }

            _sampler = sampler;
            _refiner = refiner;
        }

        /// <inheritdoc />
        public int Horizon => _sampler.Horizon;

        /// <summary>Hands <paramref name="deadline"/> to the sampler and the refiner that take one: the refiner gets what the sampler leaves.</summary>
        public void UseDeadline(PlanningDeadline deadline)
        {
            IAnytimePlanner sampler = _sampler as IAnytimePlanner;
            if (sampler != null)
            {
                sampler.UseDeadline(deadline);
            }

            IAnytimePlanner refiner = _refiner as IAnytimePlanner;
            if (refiner != null)
            {
                refiner.UseDeadline(deadline);
            }
        }

        /// <summary>Cost of the sampler's plan on the last call, before refinement.</summary>
        public float LastSampledCost { get; private set; }

        /// <inheritdoc />
        public float Optimize(ref CartPoleState start, float[] plan)
        {
            LastSampledCost = _sampler.Optimize(ref start, plan);
            return _refiner.Optimize(ref start, plan);
        }

        /// <inheritdoc />
        public void Reset()
        {
            _sampler.Reset();
            _refiner.Reset();
        }
    }
}
