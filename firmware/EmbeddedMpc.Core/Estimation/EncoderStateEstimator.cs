using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Estimation
{
    /// <summary>
    /// Turns cart and pole encoder counts into a <see cref="CartPoleState"/>: positions by scale, sign
    /// and zero offset; velocities by differences between ticks passed through a first-order low-pass
    /// filter <code>v = w (p - p_prev) / dt + (1 - w) v_prev</code> with w = the velocity filter weight.
    /// A reading that moved further in one tick than the rig can (a glitching or unplugged encoder)
    /// is rejected: the estimate keeps its previous value and Update returns false.
    /// The pole angle is not wrapped (it counts turns). Allocates nothing after construction.
    /// </summary>
    public sealed class EncoderStateEstimator : IStateEstimator
    {
        private readonly float _metersPerCount;
        private readonly float _radiansPerCount;
        private readonly float _countsPerRevolution;
        private readonly float _inverseTimeStep;
        private readonly float _filterWeight;
        private readonly float _maxCartStepMeters;
        private readonly float _maxPoleStepRadians;
        private bool _initialized;
        private CartPoleState _state;

        /// <param name="cartCountsPerMeter">Cart encoder counts per metre; its sign sets the direction (negative if counts fall toward +x); 0 &lt; |value| &lt;= 1e7.</param>
        /// <param name="poleCountsPerRevolution">Pole encoder counts per revolution, signed likewise; 0 &lt; |value| &lt;= 1e7.</param>
        /// <param name="timeStepSeconds">Time between updates, s; [0.0001, 1].</param>
        /// <param name="velocityFilterWeight">Weight of the newest difference in the velocity filter; (0, 1], 1 = no filtering.</param>
        /// <param name="maxCartSpeedMetersPerSecond">Fastest plausible cart speed, m/s; a larger jump is a fault; (0, 1000].</param>
        /// <param name="maxPoleSpeedRadiansPerSecond">Fastest plausible pole speed, rad/s; (0, 10000].</param>
        /// <exception cref="System.ArgumentException">A value is outside its range.</exception>
        public EncoderStateEstimator(float cartCountsPerMeter, float poleCountsPerRevolution, float timeStepSeconds, float velocityFilterWeight, float maxCartSpeedMetersPerSecond, float maxPoleSpeedRadiansPerSecond)
        {
            Validation.RequireAbove(FloatMath.Abs(cartCountsPerMeter), 0f, 1e7f, nameof(cartCountsPerMeter));
            Validation.RequireAbove(FloatMath.Abs(poleCountsPerRevolution), 0f, 1e7f, nameof(poleCountsPerRevolution));
            Validation.RequireInRange(timeStepSeconds, 0.0001f, 1f, nameof(timeStepSeconds));
            Validation.RequireAbove(velocityFilterWeight, 0f, 1f, nameof(velocityFilterWeight));
            Validation.RequireAbove(maxCartSpeedMetersPerSecond, 0f, 1000f, nameof(maxCartSpeedMetersPerSecond));
            Validation.RequireAbove(maxPoleSpeedRadiansPerSecond, 0f, 10000f, nameof(maxPoleSpeedRadiansPerSecond));
            _metersPerCount = 1f / cartCountsPerMeter;
            _countsPerRevolution = poleCountsPerRevolution;
            _radiansPerCount = FloatMath.TwoPi / poleCountsPerRevolution;
            _inverseTimeStep = 1f / timeStepSeconds;
            _filterWeight = velocityFilterWeight;
            _maxCartStepMeters = maxCartSpeedMetersPerSecond * timeStepSeconds;
            _maxPoleStepRadians = maxPoleSpeedRadiansPerSecond * timeStepSeconds;
        }

        /// <summary>Cart count that corresponds to x = 0 (set by homing).</summary>
        public long CartZeroCount { get; set; }

        /// <summary>Pole count that corresponds to theta = 0 (upright).</summary>
        public long PoleUprightCount { get; set; }

        /// <inheritdoc />
        public void ReadState(out CartPoleState state)
        {
            state.X = _state.X;
            state.XDot = _state.XDot;
            state.Theta = _state.Theta;
            state.ThetaDot = _state.ThetaDot;
        }

        /// <inheritdoc />
        public bool Update(ref SensorReading reading)
        {
            return Update(reading.CartCount, reading.PoleCount);
        }

        /// <summary>
        /// Takes one pair of readings and updates the estimate. Returns false, and keeps the previous
        /// estimate, when either reading jumped further than the rig can move in one tick. The first
        /// update after construction, <see cref="Reset"/> or an origin change sets the velocities to zero.
        /// </summary>
        public bool Update(long cartCount, long poleCount)
        {
            float x = (cartCount - CartZeroCount) * _metersPerCount;
            float theta = (poleCount - PoleUprightCount) * _radiansPerCount;
            if (!_initialized)
            {
                _state.Set(x, 0f, theta, 0f);
                _initialized = true;
                return true;
            }

            float deltaX = x - _state.X;
            float deltaTheta = theta - _state.Theta;
            if (FloatMath.Abs(deltaX) > _maxCartStepMeters || FloatMath.Abs(deltaTheta) > _maxPoleStepRadians)
            {
                return false;
            }

            _state.XDot = _filterWeight * deltaX * _inverseTimeStep + (1f - _filterWeight) * _state.XDot;
            _state.ThetaDot = _filterWeight * deltaTheta * _inverseTimeStep + (1f - _filterWeight) * _state.ThetaDot;
            _state.X = x;
            _state.Theta = theta;
            return true;
        }

        /// <summary>
        /// Sets the cart origin so that <paramref name="cartCount"/> reads as <paramref name="positionMeters"/>,
        /// keeping the velocity estimate.
        /// </summary>
        public void SetCartPosition(long cartCount, float positionMeters)
        {
            CartZeroCount = cartCount - (long)(positionMeters / _metersPerCount + (positionMeters >= 0f ? 0.5f : -0.5f));
            _state.X = (cartCount - CartZeroCount) * _metersPerCount;
        }

        /// <summary>
        /// Declares the pole hanging straight down at <paramref name="poleCount"/> (theta = pi), which
        /// fixes the upright count half a revolution away.
        /// </summary>
        public void SetPoleHanging(long poleCount)
        {
            long halfTurn = (long)(FloatMath.Abs(_countsPerRevolution) * 0.5f + 0.5f);
            PoleUprightCount = _countsPerRevolution > 0f ? poleCount - halfTurn : poleCount + halfTurn;
            _state.Theta = (poleCount - PoleUprightCount) * _radiansPerCount;
        }

        /// <summary>Forgets the history: the next update starts from zero velocities.</summary>
        public void Reset()
        {
            _initialized = false;
            _state = new CartPoleState();
        }
    }
}
