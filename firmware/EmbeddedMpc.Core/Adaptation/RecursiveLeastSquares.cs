namespace EmbeddedMpc.Core.Adaptation
{
    /// <summary>
    /// Recursive least squares with exponential forgetting, one scalar equation y = φᵀ p at a time, with the
    /// three guards an estimator running unattended on a rig needs: a dead zone on the excitation (an
    /// equation with ||φ|| below the threshold changes nothing: no update, no forgetting), a ceiling on each
    /// of the covariance's variances (no wind-up along unexcited directions), and a box on the estimate
    /// (projection after every update). Float, flat arrays made at construction, nothing allocated per update.
    /// </summary>
    /// <remarks>
    /// The update (Ljung, System Identification, 2nd ed., eq. 11.63), with forgetting factor λ:
    /// <code>
    ///   e = y - φᵀ p;   g = P φ / (λ + φᵀ P φ);   p += g e;   P = (P - g φᵀ P) / λ
    /// </code>
    /// P stays symmetric in exact arithmetic; the update computes the upper triangle and mirrors it. A variance
    /// P_ii above the ceiling is brought down to it by scaling row i and column i by sqrt(ceiling / P_ii),
    /// i.e. P -> D P D with a positive diagonal D, which keeps P symmetric positive definite and leaves the
    /// other parameters' variances alone. (A ceiling on the trace, tried first, let the never-excited pivot
    /// damping's variance grow and squeeze every other direction's gain with it: the cart mass then adapted
    /// too slowly to matter.)
    /// </remarks>
    public sealed class RecursiveLeastSquares
    {
        private readonly int _count;
        private readonly float _forgettingFactor;
        private readonly float _excitationThresholdSquared;
        private readonly float _initialVariance;
        private readonly float _varianceCeiling;
        private readonly float[] _estimate;         // [count]
        private readonly float[] _lower;            // [count], the box
        private readonly float[] _upper;            // [count]
        private readonly float[] _covariance;       // [count x count], row-major, symmetric
        private readonly float[] _covarianceTimesRegressor; // [count], P φ of the current update
        private int _updates;

        /// <param name="count">Parameters; [1, 16].</param>
        /// <param name="forgettingFactor">λ; [0.9, 1].</param>
        /// <param name="excitationThreshold">Smallest ||φ|| that updates; [0, 10].</param>
        /// <param name="initialVariance">P starts (and restarts) as this times I; (0, 100].</param>
        /// <param name="covarianceCeilingFactor">Each variance P_ii is kept at most this times <paramref name="initialVariance"/>; [1, 100].</param>
        /// <exception cref="System.ArgumentException">A value is outside its range.</exception>
        public RecursiveLeastSquares(int count, float forgettingFactor, float excitationThreshold, float initialVariance, float covarianceCeilingFactor)
        {
            Validation.RequireInRange(count, 1, 16, nameof(count));
            Validation.RequireInRange(forgettingFactor, 0.9f, 1f, nameof(forgettingFactor));
            Validation.RequireInRange(excitationThreshold, 0f, 10f, nameof(excitationThreshold));
            Validation.RequireAbove(initialVariance, 0f, 100f, nameof(initialVariance));
            Validation.RequireInRange(covarianceCeilingFactor, 1f, 100f, nameof(covarianceCeilingFactor));
            _count = count;
            _forgettingFactor = forgettingFactor;
            _excitationThresholdSquared = excitationThreshold * excitationThreshold;
            _initialVariance = initialVariance;
            _varianceCeiling = covarianceCeilingFactor * initialVariance;
            _estimate = new float[count];
            _lower = new float[count];
            _upper = new float[count];
            _covariance = new float[count * count];
            _covarianceTimesRegressor = new float[count];
            for (int i = 0; i < count; i++)
            {
                _lower[i] = -1e30f;
                _upper[i] = 1e30f;
            }

            ResetCovariance();
        }

        /// <summary>Parameters.</summary>
        public int Count => _count;

        /// <summary>Equations that updated the estimate (passed the excitation dead zone) since construction.</summary>
        public int Updates => _updates;

        /// <summary>The estimate's element <paramref name="index"/>.</summary>
        public float Estimate(int index) => _estimate[index];

        /// <summary>The covariance's element (row, column).</summary>
        public float Covariance(int row, int column) => _covariance[row * _count + column];

        /// <summary>Trace of the covariance.</summary>
        public float CovarianceTrace()
        {
            float trace = 0f;
            for (int i = 0; i < _count; i++)
            {
                trace += _covariance[i * _count + i];
            }

            return trace;
        }

        /// <summary>Sets element <paramref name="index"/> of the estimate and its box [lower, upper] (lower &lt;= value &lt;= upper expected).</summary>
        public void SetEstimate(int index, float value, float lower, float upper)
        {
            _lower[index] = lower;
            _upper[index] = upper;
            _estimate[index] = value < lower ? lower : value > upper ? upper : value;
        }

        /// <summary>P = initial variance times I (a covariance reset: the estimate is kept, its confidence forgotten).</summary>
        public void ResetCovariance()
        {
            for (int i = 0; i < _covariance.Length; i++)
            {
                _covariance[i] = 0f;
            }

            for (int i = 0; i < _count; i++)
            {
                _covariance[i * _count + i] = _initialVariance;
            }
        }

        /// <summary>
        /// One equation y = φᵀ p. Returns false, changing nothing, when ||φ|| is below the excitation
        /// threshold or the equation is not finite, and when float rounding has made P indefinite (φᵀ P φ &lt; 0:
        /// P is then reset to its initial variances, the estimate kept); else updates the estimate (projected into
        /// its box, a NaN to its lower bound) and P, and resets P if a variance has come out non-positive.
        /// </summary>
        /// <param name="regressor">φ, [count] (at least).</param>
        /// <param name="measurement">y.</param>
        public bool Update(float[] regressor, float measurement)
        {
            // Arrays and sizes in locals, indices stepped rather than multiplied: this runs beside the planner in
            // the control tick, whose budget is counted in IL instructions.
            int n = _count;
            float[] estimate = _estimate;
            float lengthSquared = 0f;
            float prediction = 0f;
            for (int i = 0; i < n; i++)
            {
                float element = regressor[i];
                lengthSquared += element * element;
                prediction += element * estimate[i];
            }

            // NaN fails every comparison: a non-finite equation is refused here too.
            if (!(lengthSquared >= _excitationThresholdSquared) || !(lengthSquared < 1e12f) || !(measurement > -1e12f && measurement < 1e12f))
            {
                return false;
            }

            float[] covariance = _covariance;
            float[] covarianceTimesRegressor = _covarianceTimesRegressor;
            float quadratic = 0f; // φᵀ P φ
            int index = 0;
            for (int i = 0; i < n; i++)
            {
                float sum = 0f;
                for (int j = 0; j < n; j++)
                {
                    sum += covariance[index] * regressor[j];
                    index++;
                }

                covarianceTimesRegressor[i] = sum;
                quadratic += regressor[i] * sum;
            }

            if (!(quadratic >= 0f))
            {
                // φᵀ P φ < 0 (or NaN) means float rounding has made P indefinite: this update would poison the
                // estimate, so it is skipped and P starts again from its initial variances.
                ResetCovariance();
                return false;
            }

            float inverseDenominator = 1f / (_forgettingFactor + quadratic);
            float error = (measurement - prediction) * inverseDenominator;
            float inverseForgetting = 1f / _forgettingFactor;
            float gainFactor = inverseDenominator * inverseForgetting;
            float[] lower = _lower;
            float[] upper = _upper;
            int diagonal = 0;
            for (int i = 0; i < n; i++)
            {
                float covarianceTimesRegressorI = covarianceTimesRegressor[i];
                float value = estimate[i] + covarianceTimesRegressorI * error;
                float low = lower[i];
                float high = upper[i];
                estimate[i] = !(value >= low) ? low : value > high ? high : value; // NaN goes to the bound, never into the model

                // The upper triangle, mirrored: P stays exactly symmetric and the update costs half.
                float scaledGain = covarianceTimesRegressorI * gainFactor;
                int rowIndex = diagonal;
                int columnIndex = diagonal;
                for (int j = i; j < n; j++)
                {
                    float updated = covariance[rowIndex] * inverseForgetting - scaledGain * covarianceTimesRegressor[j];
                    covariance[rowIndex] = updated;
                    covariance[columnIndex] = updated;
                    rowIndex++;
                    columnIndex += n;
                }

                diagonal += n + 1;
            }

            if (!LimitVariances())
            {
                ResetCovariance();
            }

            _updates++;
            return true;
        }

        /// <summary>
        /// Brings every variance above the ceiling down to it by P -> D P D. Before an update each variance is at
        /// most the ceiling, and an update raises it at most by 1 / λ (λ >= 0.9), so the ratio r = ceiling / P_ii
        /// lies in [λ, 1): there sqrt(r) is one Newton step from (1 + r) / 2, accurate to some 1e-6 (the
        /// library square root, a loop, cost several hundred IL instructions per variance on the tick path).
        /// A ratio outside that range (not reached by the update) takes the library square root.
        /// </summary>
        /// <returns>False when a variance is not positive (or NaN): P is no longer a covariance and must be reset.</returns>
        private bool LimitVariances()
        {
            int n = _count;
            float[] covariance = _covariance;
            float ceiling = _varianceCeiling;
            int diagonal = 0;
            for (int i = 0; i < n; i++)
            {
                float variance = covariance[diagonal];
                if (!(variance > 0f))
                {
                    return false;
                }

                if (variance > ceiling)
                {
                    float ratio = ceiling / variance;
                    float scale;
                    if (ratio >= 0.9f)
                    {
                        scale = 0.5f * (1f + ratio);
                        scale = 0.5f * (scale + ratio / scale);
                    }
                    else
                    {
                        scale = Math.FloatMath.Sqrt(ratio);
                    }

                    // Row i and column i; the diagonal element is met twice and so scaled by scale².
                    int rowIndex = i * n;
                    int columnIndex = i;
                    for (int j = 0; j < n; j++)
                    {
                        covariance[rowIndex] *= scale;
                        covariance[columnIndex] *= scale;
                        rowIndex++;
                        columnIndex += n;
                    }
                }

                diagonal += n + 1;
            }

            return true;
        }
    }
}
