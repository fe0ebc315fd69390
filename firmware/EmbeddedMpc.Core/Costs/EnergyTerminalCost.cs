using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Costs
{
    /// <summary>
    /// Wraps a cost and adds to its terminal cost the pole's energy deficit,
    /// <code>w ((E - E_up) / (m g l))^2,   E = J thetaDot^2 / 2 + m g l cos theta,   E_up = m g l</code>
    /// (Astrom and Furuta's swing-up quantity). A short horizon that ends with the pole still low but
    /// carrying the right energy is then scored as on its way up, which keeps a planner from settling
    /// into a swing that looks good within the horizon but never reaches the top.
    /// </summary>
    public sealed class EnergyTerminalCost : ICost
    {
        private readonly ICost _inner;
        private readonly float _inertia;
        private readonly float _gravityTorque;
        private readonly float _inverseGravityTorque;
        private readonly float _weight;

        /// <exception cref="System.ArgumentException">An argument is null or the weight is outside [0, 1e6].</exception>
        public EnergyTerminalCost(ICost inner, CartPoleParameters parameters, float weight)
        {
            Validation.RequireNotNull(inner, nameof(inner));
            Validation.RequireNotNull(parameters, nameof(parameters));
            parameters.Validate();
            Validation.RequireInRange(weight, 0f, 1e6f, nameof(weight));
            _inner = inner;
            _inertia = parameters.PoleInertiaAboutPivotKilogramSquareMeters;
            _gravityTorque = parameters.PoleMassKilograms * parameters.GravityMetersPerSecondSquared * parameters.PivotToCenterOfMassMeters;
            _inverseGravityTorque = 1f / _gravityTorque;
            _weight = weight;
        }

        /// <inheritdoc />
        public float StageCost(ref CartPoleState state, float action) => _inner.StageCost(ref state, action);

        /// <inheritdoc />
        public float TerminalCost(ref CartPoleState state)
        {
            float energy = 0.5f * _inertia * state.ThetaDot * state.ThetaDot + _gravityTorque * FloatMath.Cos(state.Theta);
            float deficit = (energy - _gravityTorque) * _inverseGravityTorque;
            return _inner.TerminalCost(ref state) + _weight * deficit * deficit;
        }
    }
}
