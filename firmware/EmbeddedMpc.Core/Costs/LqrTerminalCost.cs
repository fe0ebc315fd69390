using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Policies;

namespace EmbeddedMpc.Core.Costs
{
    /// <summary>
    /// Wraps a cost and replaces its terminal cost near upright by the infinite-horizon LQR value:
    /// terminal = min(inner terminal, w s'Ps). Where the LQR is valid (near upright) s'Ps is the true
    /// cost-to-go of balancing from there, so a short horizon that ends in the LQR's basin is scored as
    /// if it went on forever; far from upright s'Ps grows quadratically and the inner terminal wins.
    /// Build the LQR with weights that match the inner stage cost's quadratic approximation.
    /// </summary>
    public sealed class LqrTerminalCost : ICost
    {
        private readonly ICost _inner;
        private readonly LinearQuadraticRegulator _regulator;
        private readonly float _weight;

        /// <exception cref="System.ArgumentException">An argument is null or the weight is outside [0, 1e6].</exception>
        public LqrTerminalCost(ICost inner, LinearQuadraticRegulator regulator, float weight)
        {
            Validation.RequireNotNull(inner, nameof(inner));
            Validation.RequireNotNull(regulator, nameof(regulator));
            Validation.RequireInRange(weight, 0f, 1e6f, nameof(weight));
            _inner = inner;
            _regulator = regulator;
            _weight = weight;
        }

        /// <inheritdoc />
        public float StageCost(ref CartPoleState state, float action) => _inner.StageCost(ref state, action);

        /// <inheritdoc />
        public float TerminalCost(ref CartPoleState state)
        {
            float inner = _inner.TerminalCost(ref state);
            float value = _weight * _regulator.Value(ref state);
            return value < inner ? value : inner;
        }
    }
}
