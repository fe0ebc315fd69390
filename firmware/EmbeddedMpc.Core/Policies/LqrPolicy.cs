using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Policies
{
    /// <summary>
    /// Balance by the infinite-horizon LQR: u = clamp(-K s, -1, 1). No model steps per tick; the
    /// gain is computed once at start-up (TinyMPC's cached-LQR idea). Its reported cost is the LQR
    /// cost-to-go s'Ps.
    /// </summary>
    public sealed class LqrPolicy : IPolicy
    {
        private readonly LinearQuadraticRegulator _regulator;

        /// <exception cref="System.ArgumentException">The regulator is null.</exception>
        public LqrPolicy(LinearQuadraticRegulator regulator)
        {
            Validation.RequireNotNull(regulator, nameof(regulator));
            _regulator = regulator;
        }

        /// <inheritdoc />
        public float LastPlanCost { get; private set; }

        /// <inheritdoc />
        public int LastModelSteps => 0;

        /// <inheritdoc />
        public float ComputeAction(ref CartPoleState state)
        {
            LastPlanCost = _regulator.Value(ref state);
            return FloatMath.Clamp(_regulator.Command(ref state), -1f, 1f);
        }

        /// <inheritdoc />
        public void Reset()
        {
            LastPlanCost = 0f;
        }
    }
}
