using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Estimation
{
    /// <summary>
    /// Turns cart and pole encoder counts into a <see cref="CartPoleState"/>: positions by scale, sign
    /// and zero offset; velocities by differences between readings passed through a first-order low-pass
    /// filter <code>v = w (p - p_prev) / dt + (1 - w) v_prev</code> with w = the velocity filter weight and
    /// dt the time between the two readings: measured, when the sensors report when they were read
    /// (<see cref="TimeReadingsWith"/>, the rig), or a whole number of control periods otherwise
    /// (the simulated plant and HIL deliver one reading per period). A late tick or a skipped period
    /// therefore gives the true mean speed, not a multiple of it.
    /// A reading that moved further since the last accepted one than the rig can in that time (a
    /// glitching or unplugged encoder) is rejected: the estimate keeps its previous value and Update
    /// returns false; the next difference spans the time since the last accepted reading.
    /// The pole angle is not wrapped (it counts turns). Allocates nothing after construction.
    /// </summary>
    /// <remarks>
    /// Guards on the measured time dt between two readings:
    /// <list type="bullet">
    /// <item>dt below <see cref="MinimumIntervalPeriods"/> of a period (including 0 and a clock that went
    /// backwards) is taken as that minimum: two readings microseconds apart would turn one count of
    /// quantisation into an absurd speed. Ordinary jitter (a tick a few ms late, the next on time) stays
    /// above it and is used as measured.</item>
    /// <item>dt above <see cref="MaximumIntervalPeriods"/> periods (a stalled loop, a debugger break, a clock
    /// reset) makes a fresh start, as after <see cref="Reset"/>: the positions are taken, the velocities
    /// restart from zero, because a difference over that long says nothing about the speed now.</item>
    /// </list>
    /// </remarks>
    public sealed class EncoderStateEstimator : IStateEstimator
    {
        private readonly float _metersPerCount;
        private readonly float _radiansPerCount;
        private readonly float _countsPerRevolution;
        private readonly float _timeStepSeconds;
        private readonly long _minimumIntervalMicroseconds;
        private readonly long _maximumIntervalMicroseconds;
        private readonly float _filterWeight;
        private readonly float _maxCartSpeed;
        private readonly float _maxPoleSpeed;
        private bool _initialized;
        private CartPoleState _state;
        private ISampleClock _sampleClock;

        // The last accepted reading's time, and how many readings came since (rejected ones included).
        private bool _lastAcceptedTimed;
        private long _lastAcceptedMicroseconds;
        private int _readingsSinceAccepted;

        /// <summary>The shortest interval between two readings the velocity is computed over, in control periods.</summary>
        public const float MinimumIntervalPeriods = 0.25f;

        /// <summary>The longest interval between two readings that still continues the velocity estimate, in control periods; a longer one starts afresh.</summary>
        public const int MaximumIntervalPeriods = 25;

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
            _timeStepSeconds = timeStepSeconds;
            long periodMicroseconds = (long)(timeStepSeconds * 1e6f + 0.5f);
            _minimumIntervalMicroseconds = (long)(periodMicroseconds * MinimumIntervalPeriods);
            _maximumIntervalMicroseconds = periodMicroseconds * MaximumIntervalPeriods;
            _filterWeight = velocityFilterWeight;
            _maxCartSpeed = maxCartSpeedMetersPerSecond;
            _maxPoleSpeed = maxPoleSpeedRadiansPerSecond;
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

        /// <summary>
        /// From now on, takes the time of each reading from <paramref name="sampleClock"/> (read in
        /// <see cref="Update(ref SensorReading)"/>, right after the sensors were read) and divides by the
        /// measured interval; null goes back to one control period per reading.
        /// </summary>
        public void TimeReadingsWith(ISampleClock sampleClock)
        {
            _sampleClock = sampleClock;
        }

        /// <inheritdoc />
        public bool Update(ref SensorReading reading)
        {
            if (_sampleClock != null)
            {
                return Update(reading.CartCount, reading.PoleCount, _sampleClock.LastSampleMicroseconds);
            }

            return Update(reading.CartCount, reading.PoleCount);
        }

        /// <summary>
        /// Takes one pair of readings taken one control period after the previous reading (rejected readings
        /// count as periods too) and updates the estimate. Returns false, and keeps the previous estimate,
        /// when either reading jumped further than the rig can move in that time. The first update after
        /// construction, <see cref="Reset"/> or an origin change sets the velocities to zero.
        /// </summary>
        public bool Update(long cartCount, long poleCount)
        {
            if (!_initialized)
            {
                Start(cartCount, poleCount, false, 0);
                return true;
            }

            _readingsSinceAccepted++;
            if (_readingsSinceAccepted > MaximumIntervalPeriods)
            {
                Start(cartCount, poleCount, false, 0);
                return true;
            }

            if (!Continue(cartCount, poleCount, _readingsSinceAccepted * _timeStepSeconds))
            {
                return false;
            }

            _lastAcceptedTimed = false;
            return true;
        }

        /// <summary>
        /// Takes one pair of readings sampled at <paramref name="sampleTimeMicroseconds"/> and updates the
        /// estimate over the time measured since the last accepted reading (or a whole number of periods if
        /// that reading had no time). The interval is guarded as described on the class: below a quarter
        /// period it counts as a quarter period, above <see cref="MaximumIntervalPeriods"/> periods the
        /// estimate starts afresh. Returns false, and keeps the previous estimate, when either reading jumped
        /// further than the rig can move in that time.
        /// </summary>
        /// <param name="cartCount">Cart encoder count.</param>
        /// <param name="poleCount">Pole encoder count.</param>
        /// <param name="sampleTimeMicroseconds">When the counts were read, µs on any monotonic clock.</param>
        public bool Update(long cartCount, long poleCount, long sampleTimeMicroseconds)
        {
            if (!_initialized)
            {
                Start(cartCount, poleCount, true, sampleTimeMicroseconds);
                return true;
            }

            _readingsSinceAccepted++;
            float elapsedSeconds;
            if (_lastAcceptedTimed)
            {
                long elapsed = sampleTimeMicroseconds - _lastAcceptedMicroseconds;
                if (elapsed > _maximumIntervalMicroseconds)
                {
                    Start(cartCount, poleCount, true, sampleTimeMicroseconds);
                    return true;
                }

                if (elapsed < _minimumIntervalMicroseconds)
                {
                    elapsed = _minimumIntervalMicroseconds;
                }

                elapsedSeconds = elapsed * 1e-6f;
            }
            else
            {
                elapsedSeconds = _readingsSinceAccepted * _timeStepSeconds;
            }

            if (!Continue(cartCount, poleCount, elapsedSeconds))
            {
                return false;
            }

            _lastAcceptedTimed = true;
            _lastAcceptedMicroseconds = sampleTimeMicroseconds;
            return true;
        }

        // First reading, or a fresh start after a long gap: positions only, velocities zero.
        private void Start(long cartCount, long poleCount, bool timed, long sampleTimeMicroseconds)
        {
            float x = (cartCount - CartZeroCount) * _metersPerCount;
            float theta = (poleCount - PoleUprightCount) * _radiansPerCount;
            _state.Set(x, 0f, theta, 0f);
            _initialized = true;
            _lastAcceptedTimed = timed;
            _lastAcceptedMicroseconds = sampleTimeMicroseconds;
            _readingsSinceAccepted = 0;
        }

        // The filter step over elapsedSeconds (> 0) since the last accepted reading; false if implausible.
        private bool Continue(long cartCount, long poleCount, float elapsedSeconds)
        {
            float x = (cartCount - CartZeroCount) * _metersPerCount;
            float theta = (poleCount - PoleUprightCount) * _radiansPerCount;
            float deltaX = x - _state.X;
            float deltaTheta = theta - _state.Theta;
            if (FloatMath.Abs(deltaX) > _maxCartSpeed * elapsedSeconds || FloatMath.Abs(deltaTheta) > _maxPoleSpeed * elapsedSeconds)
            {
                return false;
            }

            float inverseElapsed = 1f / elapsedSeconds;
            _state.XDot = _filterWeight * deltaX * inverseElapsed + (1f - _filterWeight) * _state.XDot;
            _state.ThetaDot = _filterWeight * deltaTheta * inverseElapsed + (1f - _filterWeight) * _state.ThetaDot;
            _state.X = x;
            _state.Theta = theta;
            _readingsSinceAccepted = 0;
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
            _state.Set(0f, 0f, 0f, 0f);
            _readingsSinceAccepted = 0;
        }
    }
}
