using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Policies
{
    /// <summary>
    /// Balance by the infinite-horizon LQR with its pole-rate gain scaled:
    /// u = clamp(-(k_x x + k_xDot xDot + k_theta theta + c k_thetaDot thetaDot), -1, 1), c =
    /// <see cref="AngularVelocityGainScale"/>. No model steps per tick; the gain is computed once at
    /// start-up (TinyMPC's cached-LQR idea). Its reported cost is the LQR cost-to-go s'Ps.
    /// </summary>
    /// <remarks>
    /// Why c is below 1: the pole rate is the least certain state the regulator acts on (a filtered
    /// difference of encoder counts, a tick or more behind a plant with sensor latency and motor lag), and
    /// its gain is large, so its error becomes a large, fast command. Measured on the esp32 rig with the
    /// adaptive planner (host-sim/BENCH.md, "The catch"): 0.9 catches more than 1 on the realistic plants
    /// and no fewer on the ideal one; 0.8 is no better, 0.65 worse, and 1.2 loses catches.
    /// </remarks>
    public sealed class LqrPolicy : IPolicy
    {
        private readonly LinearQuadraticRegulator _regulator;
        private readonly float _rateCorrection; // (1 - c) k_thetaDot: added to -K s times thetaDot

        /// <summary>Default of <see cref="AngularVelocityGainScale"/> (see the remarks).</summary>
        public const float DefaultAngularVelocityGainScale = 0.9f;

        /// <summary>Balances with <paramref name="regulator"/> and <see cref="DefaultAngularVelocityGainScale"/>.</summary>
        /// <exception cref="System.ArgumentException">The regulator is null.</exception>
        public LqrPolicy(LinearQuadraticRegulator regulator)
            : this(regulator, DefaultAngularVelocityGainScale)
        {
        }

        /// <param name="regulator">The LQR.</param>
        /// <param name="angularVelocityGainScale">Multiplier c of the regulator's pole-rate gain; (0, 2].</param>
        /// <exception cref="System.ArgumentException">The regulator is null or the scale is out of range.</exception>
        public LqrPolicy(LinearQuadraticRegulator regulator, float angularVelocityGainScale)
        {
            Validation.RequireNotNull(regulator, nameof(regulator));
            Validation.RequireAbove(angularVelocityGainScale, 0f, 2f, nameof(angularVelocityGainScale));
            _regulator = regulator;
            AngularVelocityGainScale = angularVelocityGainScale;
            _rateCorrection = (1f - angularVelocityGainScale) * regulator.GainAt(3);
        }

        /// <summary>The regulator whose gain this policy applies (the supervisor's catch test uses it too).</summary>
        public LinearQuadraticRegulator Regulator => _regulator;

        /// <summary>Multiplier of the regulator's pole-rate gain; (0, 2].</summary>
        public float AngularVelocityGainScale { get; }

        /// <inheritdoc />
        public float LastPlanCost { get; private set; }

        /// <inheritdoc />
        public int LastModelSteps => 0;

        /// <inheritdoc />
        public float ComputeAction(ref CartPoleState state)
        {
            LastPlanCost = _regulator.Value(ref state);
            return FloatMath.Clamp(_regulator.Command(ref state) + _rateCorrection * state.ThetaDot, -1f, 1f);
        }

        /// <inheritdoc />
        public void Reset()
        {
            LastPlanCost = 0f;
        }
    }
}
