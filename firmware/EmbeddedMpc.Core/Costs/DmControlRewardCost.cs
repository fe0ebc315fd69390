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
    /// Exact derivatives (<see cref="ICostDerivatives"/>): r is a product of one-variable factors, so
    /// d r / d z_i = f_i' times the other factors and d2 r / d z_i d z_j = f_i' f_j' (or f_i'') times the rest.
    /// </summary>
    public sealed class DmControlRewardCost : ICost, ICostDerivatives
    {
        // sqrt(-2 ln 0.1)^2 / 2 / m^2: the exponent's scale for margins 2 (x) and 5 (thetaDot).
        private const float PositionExponent = 4.60517019f / 2f / 4f;
        private const float VelocityExponent = 4.60517019f / 2f / 25f;
        private readonly TrackLimitPenalty _trackPenalty;

        // The reward's factors at the point being differentiated, by variable (x, xDot, theta, thetaDot, u):
        // value, first and second derivative. xDot has no factor (value 1).
        private readonly float[] _factor = new float[5];
        private readonly float[] _factorSlope = new float[5];
        private readonly float[] _factorCurvature = new float[5];

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

        /// <inheritdoc />
        public bool StageCostDerivatives(ref CartPoleState state, float action, float[] gradient, float[] hessian)
        {
            Factors(ref state);
            // At the action bounds (|u| = 1, where plans often sit) take the derivatives from the
            // feasible side: the optimizer never goes beyond them.
            bool inside = action * action <= 1f;
            _factor[4] = (4f + (inside ? 1f - action * action : 0f)) * 0.2f;
            _factorSlope[4] = inside ? -0.4f * action : 0f;
            _factorCurvature[4] = inside ? -0.4f : 0f;
            RewardDerivatives(-1f, gradient, hessian);
            AddTrackPenalty(state.X, 1f, gradient, hessian);
            return true;
        }

        /// <inheritdoc />
        public bool TerminalCostDerivatives(ref CartPoleState state, float[] gradient, float[] hessian)
        {
            Factors(ref state);
            _factor[4] = 1f;
            _factorSlope[4] = 0f;
            _factorCurvature[4] = 0f;
            RewardDerivatives(-TerminalWeight, gradient, hessian);
            AddTrackPenalty(state.X, TerminalWeight, gradient, hessian);
            return true;
        }

        // The state factors of the reward and their derivatives.
        private void Factors(ref CartPoleState state)
        {
            float sinTheta = FloatMath.Sin(state.Theta);
            float cosTheta = FloatMath.Cos(state.Theta);
            _factor[2] = 0.5f * (cosTheta + 1f);
            _factorSlope[2] = -0.5f * sinTheta;
            _factorCurvature[2] = -0.5f * cosTheta;
            ToleranceFactor(state.X, PositionExponent, 0);
            ToleranceFactor(state.ThetaDot, VelocityExponent, 3);
            _factor[1] = 1f;
            _factorSlope[1] = 0f;
            _factorCurvature[1] = 0f;
        }

        // (1 + exp(-a z^2)) / 2: slope -a z e, curvature a e (2 a z^2 - 1).
        private void ToleranceFactor(float z, float exponent, int variable)
        {
            float e = FloatMath.Exp(-exponent * z * z);
            _factor[variable] = 0.5f * (1f + e);
            _factorSlope[variable] = -exponent * z * e;
            _factorCurvature[variable] = exponent * e * (2f * exponent * z * z - 1f);
        }

        // Gradient and Hessian of scale x (product of the five factors).
        private void RewardDerivatives(float scale, float[] gradient, float[] hessian)
        {
            for (int i = 0; i < 5; i++)
            {
                gradient[i] = scale * _factorSlope[i] * ProductExcept(i, -1);
                for (int j = i; j < 5; j++)
                {
                    float value = i == j
                        ? scale * _factorCurvature[i] * ProductExcept(i, -1)
                        : scale * _factorSlope[i] * _factorSlope[j] * ProductExcept(i, j);
                    hessian[i * 5 + j] = value;
                    hessian[j * 5 + i] = value;
                }
            }
        }

        private float ProductExcept(int first, int second)
        {
            float product = 1f;
            for (int k = 0; k < 5; k++)
            {
                if (k != first && k != second)
                {
                    product *= _factor[k];
                }
            }

            return product;
        }

        private void AddTrackPenalty(float x, float scale, float[] gradient, float[] hessian)
        {
            float slope;
            float curvature;
            _trackPenalty.Derivatives(x, out slope, out curvature);
            gradient[0] += scale * slope;
            hessian[0] += scale * curvature;
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
