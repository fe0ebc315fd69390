using EmbeddedMpc.Core.Math;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// Unit-variance sampling noise correlated between neighbouring knots, the AR(1) process
    /// e_0 = w_0, e_k = rho e_(k-1) + sqrt(1 - rho^2) w_k with w standard normal: most of its power at
    /// low frequency, a cheap stand-in for iCEM's power-law coloured noise (rho = 0 is white noise).
    /// Shared by the optimizers that perturb whole sequences. Allocates nothing.
    /// </summary>
    internal sealed class CorrelatedNoise
    {
        private readonly SeededRandom _random;
        private readonly float _correlation;
        private readonly float _innovation; // sqrt(1 - rho^2)

        /// <param name="random">The optimizer's random stream.</param>
        /// <param name="correlation">rho, validated by the caller's settings to [0, 0.99].</param>
        public CorrelatedNoise(SeededRandom random, float correlation)
        {
            _random = random;
            _correlation = correlation;
            _innovation = FloatMath.Sqrt(1f - correlation * correlation);
        }

        /// <summary>e_0: the noise at the first knot.</summary>
        public float First() => _random.NextGaussian();

        /// <summary>e_k from e_(k-1).</summary>
        public float Next(float previous) => _correlation * previous + _innovation * _random.NextGaussian();
    }
}
