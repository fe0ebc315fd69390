using EmbeddedMpc.Core.Math;

namespace EmbeddedMpc.Core.Costs
{
    /// <summary>
    /// Penalty that keeps planned trajectories off the ends of the track: zero while
    /// |x| &lt;= limit - margin, then weight ((|x| - (limit - margin)) / margin)^2, plus a fixed
    /// <see cref="BeyondLimitCost"/> per step once |x| passes the limit itself.
    /// </summary>
    public sealed class TrackLimitPenalty
    {
        private readonly float _softLimit;
        private readonly float _hardLimit;
        private readonly float _inverseMargin;
        private readonly float _weight;

        /// <summary>Cost added per step for a state beyond the track limit.</summary>
        public const float BeyondLimitCost = 100f;

        /// <param name="trackHalfLengthMeters">Track limit, m; (0, 100].</param>
        /// <param name="marginMeters">Width of the zone inside the limit where the penalty grows, m; (0, limit].</param>
        /// <param name="weight">Penalty at the limit itself; [0, 1e6].</param>
        /// <exception cref="System.ArgumentException">A value is outside its range.</exception>
        public TrackLimitPenalty(float trackHalfLengthMeters, float marginMeters, float weight)
        {
            Validation.RequireAbove(trackHalfLengthMeters, 0f, 100f, nameof(trackHalfLengthMeters));
            Validation.RequireAbove(marginMeters, 0f, trackHalfLengthMeters, nameof(marginMeters));
            Validation.RequireInRange(weight, 0f, 1e6f, nameof(weight));
            _hardLimit = trackHalfLengthMeters;
            _softLimit = trackHalfLengthMeters - marginMeters;
            _inverseMargin = 1f / marginMeters;
            _weight = weight;
        }

        /// <summary>
        /// First and second derivative of the penalty with respect to x at <paramref name="xMeters"/>
        /// (the fixed cost beyond the limit is a step: its derivatives are taken as zero).
        /// </summary>
        public void Derivatives(float xMeters, out float slope, out float curvature)
        {
            float distance = FloatMath.Abs(xMeters);
            if (distance <= _softLimit)
            {
                slope = 0f;
                curvature = 0f;
                return;
            }

            float excess = (distance - _softLimit) * _inverseMargin;
            slope = 2f * _weight * excess * _inverseMargin * (xMeters < 0f ? -1f : 1f);
            curvature = 2f * _weight * _inverseMargin * _inverseMargin;
        }

        /// <summary>The penalty for cart position <paramref name="xMeters"/>.</summary>
        public float Evaluate(float xMeters)
        {
            float distance = FloatMath.Abs(xMeters);
            if (distance <= _softLimit)
            {
                return 0f;
            }

            float excess = (distance - _softLimit) * _inverseMargin;
            float penalty = _weight * excess * excess;
            return distance > _hardLimit ? penalty + BeyondLimitCost : penalty;
        }
    }
}
