using EmbeddedMpc.Core.Math;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// The two steps every CEM variant shares: picking the cheapest samples and refitting the
    /// diagonal Gaussian to them. Sample buffers are [samples x horizon], row-major. Allocates nothing.
    /// </summary>
    internal static class EliteStatistics
    {
        /// <summary>
        /// Writes the indices of the <paramref name="capacity"/> cheapest of the first
        /// <paramref name="count"/> samples into <paramref name="eliteIndices"/>, sorted by increasing cost,
        /// by insertion into a short sorted list (O(count x capacity)); NaN costs never enter.
        /// Returns how many were written (fewer than capacity only if costs were NaN).
        /// </summary>
        public static int SelectCheapest(float[] costs, int count, int[] eliteIndices, int capacity)
        {
            int selected = 0;
            for (int i = 0; i < count; i++)
            {
                float cost = costs[i];
                if (float.IsNaN(cost))
                {
                    continue;
                }

                if (selected == capacity && !(cost < costs[eliteIndices[selected - 1]]))
                {
                    continue;
                }

                int position = selected < capacity ? selected++ : selected - 1;
                while (position > 0 && costs[eliteIndices[position - 1]] > cost)
                {
                    eliteIndices[position] = eliteIndices[position - 1];
                    position--;
                }

                eliteIndices[position] = i;
            }

            return selected;
        }

        /// <summary>
        /// Smoothed refit of the per-knot mean and standard deviation to the elites:
        /// mean = alpha mean + (1 - alpha) eliteMean; sigma = max(floor, alpha sigma + (1 - alpha) eliteStd).
        /// </summary>
        public static void Refit(float[] samples, int horizon, int[] eliteIndices, int eliteCount, float[] mean, float[] standardDeviation, float alpha, float floor)
        {
            if (eliteCount == 0)
            {
                return;
            }

            float inverseCount = 1f / eliteCount;
            for (int t = 0; t < horizon; t++)
            {
                float sum = 0f;
                for (int e = 0; e < eliteCount; e++)
                {
                    sum += samples[eliteIndices[e] * horizon + t];
                }

                float eliteMean = sum * inverseCount;
                float squares = 0f;
                for (int e = 0; e < eliteCount; e++)
                {
                    float deviation = samples[eliteIndices[e] * horizon + t] - eliteMean;
                    squares += deviation * deviation;
                }

                float eliteStandardDeviation = FloatMath.Sqrt(squares * inverseCount);
                mean[t] = alpha * mean[t] + (1f - alpha) * eliteMean;
                float sigma = alpha * standardDeviation[t] + (1f - alpha) * eliteStandardDeviation;
                standardDeviation[t] = sigma < floor ? floor : sigma;
            }
        }
    }
}
