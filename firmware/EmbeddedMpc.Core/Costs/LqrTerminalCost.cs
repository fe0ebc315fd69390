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
    /// Derivatives: the inner cost's where it has them; at the end of the horizon those of the lower term.
    /// </summary>
    public sealed class LqrTerminalCost : ICost, ICostDerivatives
    {
        private readonly ICost _inner;
        private readonly LinearQuadraticRegulator _regulator;
        private readonly float _weight;
        private readonly ICostDerivatives _innerDerivatives; // null when the inner cost has none

        /// <exception cref="System.ArgumentException">An argument is null or the weight is outside [0, 1e6].</exception>
        public LqrTerminalCost(ICost inner, LinearQuadraticRegulator regulator, float weight)
        {
            Validation.RequireNotNull(inner, nameof(inner));
            Validation.RequireNotNull(regulator, nameof(regulator));
            Validation.RequireInRange(weight, 0f, 1e6f, nameof(weight));
            _inner = inner;
            _regulator = regulator;
            _weight = weight;
            _innerDerivatives = inner as ICostDerivatives;
        }

        /// <inheritdoc />
        public float StageCost(ref CartPoleState state, float action) => _inner.StageCost(ref state, action);

        /// <inheritdoc />
        public bool StageCostDerivatives(ref CartPoleState state, float action, float[] gradient, float[] hessian)
        {
            return _innerDerivatives != null && _innerDerivatives.StageCostDerivatives(ref state, action, gradient, hessian);
        }

        /// <inheritdoc />
        public bool TerminalCostDerivatives(ref CartPoleState state, float[] gradient, float[] hessian)
        {
            if (_innerDerivatives == null)
            {
                return false;
            }

            if (_weight * _regulator.Value(ref state) < _inner.TerminalCost(ref state))
            {
                _regulator.ValueDerivatives(ref state, _weight, gradient, hessian);
                return true;
            }

            return _innerDerivatives.TerminalCostDerivatives(ref state, gradient, hessian);
        }

        /// <inheritdoc />
        public float TerminalCost(ref CartPoleState state)
        {
            float inner = _inner.TerminalCost(ref state);
            float value = _weight * _regulator.Value(ref state);
            return value < inner ? value : inner;
        }
    }
}
