using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Costs
{
    /// <summary>
    /// Swing-up cost shaped like the dm_control cart-pole reward (upright, centred, small control,
    /// small angular velocity), written as a sum of cheap terms so a rollout step costs one cosine:
    /// <code>
    ///   c = w_up (1 - cos theta) / 2 + w_x (x / L)^2 + w_u u^2 + w_w (thetaDot / 5)^2 + track penalty
    /// </code>
    /// with L the track half-length and u the normalized action. The terminal cost is
    /// <see cref="SwingUpCostSettings.TerminalWeight"/> times the stage cost with u = 0.
    /// </summary>
    public sealed class SwingUpCost : ICost
    {
        private readonly float _uprightWeight;
        private readonly float _positionWeight;
        private readonly float _controlWeight;
        private readonly float _angularVelocityWeight;
        private readonly float _terminalWeight;
        private readonly float _inverseTrackHalfLength;
        private readonly TrackLimitPenalty _trackPenalty;

        /// <summary>Builds the cost for a track of half-length <paramref name="trackHalfLengthMeters"/>.</summary>
        /// <exception cref="System.ArgumentException">A setting is outside its range.</exception>
        public SwingUpCost(SwingUpCostSettings settings, float trackHalfLengthMeters)
        {
            Validation.RequireNotNull(settings, nameof(settings));
            settings.Validate();
            Validation.RequireAbove(trackHalfLengthMeters, 0f, 100f, nameof(trackHalfLengthMeters));
            _uprightWeight = settings.UprightWeight;
            _positionWeight = settings.CartPositionWeight;
            _controlWeight = settings.ControlWeight;
            _angularVelocityWeight = settings.AngularVelocityWeight / 25f;
            _terminalWeight = settings.TerminalWeight;
            _inverseTrackHalfLength = 1f / trackHalfLengthMeters;
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
            float position = state.X * _inverseTrackHalfLength;
            return _uprightWeight * 0.5f * (1f - FloatMath.Cos(state.Theta))
                + _positionWeight * position * position
                + _angularVelocityWeight * state.ThetaDot * state.ThetaDot
                + _trackPenalty.Evaluate(state.X);
        }
    }
}
