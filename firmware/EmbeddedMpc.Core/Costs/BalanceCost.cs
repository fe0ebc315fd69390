using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Costs
{
    /// <summary>
    /// Quadratic balance cost about the upright equilibrium:
    /// <code>
    ///   c = q_x x^2 + q_v xDot^2 + q_theta 2 (1 - cos theta) + q_w thetaDot^2 + r u^2 + track penalty
    /// </code>
    /// 2 (1 - cos theta) equals theta^2 near upright and stays bounded and smooth when the pole falls
    /// (so no angle wrapping is needed). The terminal cost is <see cref="BalanceCostSettings.TerminalWeight"/>
    /// times the state part.
    /// </summary>
    public sealed class BalanceCost : ICost
    {
        private readonly float _positionWeight;
        private readonly float _velocityWeight;
        private readonly float _angleWeight;
        private readonly float _angularVelocityWeight;
        private readonly float _controlWeight;
        private readonly float _terminalWeight;
        private readonly TrackLimitPenalty _trackPenalty;

        /// <summary>Builds the cost for a track of half-length <paramref name="trackHalfLengthMeters"/>.</summary>
        /// <exception cref="System.ArgumentException">A setting is outside its range.</exception>
        public BalanceCost(BalanceCostSettings settings, float trackHalfLengthMeters)
        {
            Validation.RequireNotNull(settings, nameof(settings));
            settings.Validate();
            _positionWeight = settings.CartPositionWeight;
            _velocityWeight = settings.CartVelocityWeight;
            _angleWeight = settings.AngleWeight;
            _angularVelocityWeight = settings.AngularVelocityWeight;
            _controlWeight = settings.ControlWeight;
            _terminalWeight = settings.TerminalWeight;
            _trackPenalty = new TrackLimitPenalty(trackHalfLengthMeters, settings.TrackMarginFraction * trackHalfLengthMeters, settings.TrackPenaltyWeight);
        }

        /// <inheritdoc />
        public float StageCost(ref CartPoleState state, float action)
        {
            return StateCost(ref state) + _controlWeight * action * action;
        }

        /// <inheritdoc />
        public float TerminalCost(ref CartPoleState state)
        {
            return _terminalWeight * StateCost(ref state);
        }

        private float StateCost(ref CartPoleState state)
        {
            return _positionWeight * state.X * state.X
                + _velocityWeight * state.XDot * state.XDot
                + _angleWeight * 2f * (1f - FloatMath.Cos(state.Theta))
                + _angularVelocityWeight * state.ThetaDot * state.ThetaDot
                + _trackPenalty.Evaluate(state.X);
        }
    }
}
