using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Estimation
{
    /// <summary>
    /// Turns cart and pole encoder counts into a <see cref="CartPoleState"/>: positions by scale and
    /// offset, velocities by differences between ticks passed through a first-order low-pass filter
    /// <code>v = w (p - p_prev) / dt + (1 - w) v_prev</code>
    /// with w = <see cref="VelocityFilterWeight"/>. The pole angle is not wrapped (it counts turns).
    /// Allocates nothing after construction.
    /// </summary>
    public sealed class EncoderStateEstimator
    {
        private readonly float _metersPerCount;
        private readonly float _radiansPerCount;
        private readonly float _inverseTimeStep;
        private readonly float _filterWeight;
        private bool _initialized;
        private CartPoleState _state;

        /// <param name="cartCountsPerMeter">Cart encoder counts per metre; (0, 1e7]. Negative values are not accepted: wire the sign in the driver.</param>
        /// <param name="poleCountsPerRevolution">Pole encoder counts per revolution; (0, 1e7].</param>
        /// <param name="timeStepSeconds">Time between updates, s; [0.0001, 1].</param>
        /// <param name="velocityFilterWeight">Weight of the newest difference in the velocity filter; (0, 1], 1 = no filtering.</param>
        /// <exception cref="System.ArgumentException">A value is outside its range.</exception>
        public EncoderStateEstimator(float cartCountsPerMeter, float poleCountsPerRevolution, float timeStepSeconds, float velocityFilterWeight)
        {
            Validation.RequireAbove(cartCountsPerMeter, 0f, 1e7f, nameof(cartCountsPerMeter));
            Validation.RequireAbove(poleCountsPerRevolution, 0f, 1e7f, nameof(poleCountsPerRevolution));
            Validation.RequireInRange(timeStepSeconds, 0.0001f, 1f, nameof(timeStepSeconds));
            Validation.RequireAbove(velocityFilterWeight, 0f, 1f, nameof(velocityFilterWeight));
            _metersPerCount = 1f / cartCountsPerMeter;
            _radiansPerCount = FloatMath.TwoPi / poleCountsPerRevolution;
            _inverseTimeStep = 1f / timeStepSeconds;
            _filterWeight = velocityFilterWeight;
        }

        /// <summary>Weight of the newest difference in the velocity filter.</summary>
        public float VelocityFilterWeight => _filterWeight;

        /// <summary>Cart count that corresponds to x = 0 (set by homing).</summary>
        public long CartZeroCount { get; set; }

        /// <summary>Pole count that corresponds to theta = 0 (upright).</summary>
        public long PoleUprightCount { get; set; }

        /// <summary>The latest estimate.</summary>
        public CartPoleState State => _state;

        /// <summary>
        /// Takes one pair of readings and updates the estimate. The first update after construction or
        /// <see cref="Reset"/> sets the velocities to zero.
        /// </summary>
        public void Update(long cartCount, long poleCount)
        {
            float x = (cartCount - CartZeroCount) * _metersPerCount;
            float theta = (poleCount - PoleUprightCount) * _radiansPerCount;
            if (_initialized)
            {
                float xDot = (x - _state.X) * _inverseTimeStep;
                float thetaDot = (theta - _state.Theta) * _inverseTimeStep;
                _state.XDot = _filterWeight * xDot + (1f - _filterWeight) * _state.XDot;
                _state.ThetaDot = _filterWeight * thetaDot + (1f - _filterWeight) * _state.ThetaDot;
            }
            else
            {
                _state.XDot = 0f;
                _state.ThetaDot = 0f;
                _initialized = true;
            }

            _state.X = x;
            _state.Theta = theta;
        }

        /// <summary>Forgets the history: the next update starts from zero velocities.</summary>
        public void Reset()
        {
            _initialized = false;
            _state = new CartPoleState();
        }
    }
}
