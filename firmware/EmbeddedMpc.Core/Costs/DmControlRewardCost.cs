using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Costs
{
    /// <summary>
    /// The dm_control cart-pole swing-up reward turned into a cost, c = 1 - r, with
    /// <code>
    ///   r = (cos theta + 1) / 2  x  (4 + max(0, 1 - u^2)) / 5  x  (1 + tol(thetaDot, 5)) / 2  x  (1 + tol(x, 2)) / 2
    ///   tol(z, m) = exp(-0.5 (z sqrt(-2 ln 0.1) / m)^2)
    /// </code>
    /// so a planner minimizing it maximizes the benchmark's own objective; plus the track-limit penalty.
    /// Near upright c ~ theta^2 / 4 + 0.288 x^2 + 0.046 thetaDot^2 + u^2 / 5 (see <see cref="QuadraticWeights"/>).
    /// The terminal cost is <see cref="TerminalWeight"/> times the stage cost with u = 0.
    /// </summary>
    public sealed class DmControlRewardCost : ICost
    {
        // sqrt(-2 ln 0.1)^2 / 2 / m^2: the exponent's scale for margins 2 (x) and 5 (thetaDot).
        private const float PositionExponent = 4.60517019f / 2f / 4f;
        private const float VelocityExponent = 4.60517019f / 2f / 25f;
        private readonly TrackLimitPenalty _trackPenalty;

        /// <summary>Multiplier of the state cost at the end of the horizon.</summary>
        public const float TerminalWeight = 5f;

        /// <param name="trackHalfLengthMeters">Track limit, m; (0, 100].</param>
        /// <exception cref="System.ArgumentException">The track length is out of range.</exception>
        public DmControlRewardCost(float trackHalfLengthMeters)
        {
            _trackPenalty = new TrackLimitPenalty(trackHalfLengthMeters, 0.25f * trackHalfLengthMeters, 10f);
        }

        /// <summary>
        /// Weights of the cost's quadratic approximation about upright, for an LQR terminal value:
        /// x, xDot, theta, thetaDot, then u (writes 5 values).
        /// </summary>
        public static void QuadraticWeights(float[] weights)
        {
            weights[0] = 0.5f * PositionExponent;   // (1 + tol) / 2 ~ 1 - e x^2 / 2
            weights[1] = 1e-3f;
            weights[2] = 0.25f;                     // (cos + 1) / 2 ~ 1 - theta^2 / 4
            weights[3] = 0.5f * VelocityExponent;
            weights[4] = 0.2f;                      // (4 + 1 - u^2) / 5 = 1 - u^2 / 5
        }

        /// <inheritdoc />
        public float StageCost(ref CartPoleState state, float action)
        {
            float squared = action * action;
            float smallControl = (4f + (squared < 1f ? 1f - squared : 0f)) * 0.2f;
            return 1f - Reward(ref state) * smallControl + _trackPenalty.Evaluate(state.X);
        }

        /// <inheritdoc />
        public float TerminalCost(ref CartPoleState state)
        {
            return TerminalWeight * (1f - Reward(ref state) + _trackPenalty.Evaluate(state.X));
        }

        // The reward without the control factor.
        private static float Reward(ref CartPoleState state)
        {
            float upright = 0.5f * (FloatMath.Cos(state.Theta) + 1f);
            float centered = 0.5f * (1f + FloatMath.Exp(-PositionExponent * state.X * state.X));
            float smallVelocity = 0.5f * (1f + FloatMath.Exp(-VelocityExponent * state.ThetaDot * state.ThetaDot));
            return upright * centered * smallVelocity;
        }
    }
}
