namespace EmbeddedMpc.Core.Planning
{
    /// <summary>What <see cref="CemOptimizer"/> writes back as the plan.</summary>
    public enum CemResult
    {
        /// <summary>The cheapest sample seen in any iteration (mbrl-lib's "return best").</summary>
        BestSample = 0,

        /// <summary>The final sampling mean (PlaNet, PETS).</summary>
        Mean = 1,
    }

    /// <summary>Sizes and weights of <see cref="CemOptimizer"/>; validated by its constructor.</summary>
    public sealed class CemSettings
    {
        /// <summary>Sequences sampled per iteration; [2, 100000].</summary>
        public int Samples { get; set; } = 24;

        /// <summary>Actions per sequence; [1, 1000].</summary>
        public int Horizon { get; set; } = 40;

        /// <summary>Sample-and-refit rounds per call; [1, 100].</summary>
        public int Iterations { get; set; } = 3;

        /// <summary>Cheapest samples the distribution is refitted to; [1, <see cref="Samples"/>].</summary>
        public int Elites { get; set; } = 4;

        /// <summary>
        /// Smoothing alpha of the refit: mean = alpha mean + (1 - alpha) eliteMean, same for the standard
        /// deviation; [0, 1). 0 replaces the distribution with the elites' (PETS uses 0.1).
        /// </summary>
        public float Smoothing { get; set; } = 0.1f;

        /// <summary>Standard deviation each call starts from, normalized action units; (0, 2].</summary>
        public float InitialStandardDeviation { get; set; } = 0.5f;

        /// <summary>Floor of the standard deviation after each refit; [0, <see cref="InitialStandardDeviation"/>].</summary>
        public float MinimumStandardDeviation { get; set; } = 0.05f;

        /// <summary>Lower action bound (normalized); samples are clipped to it.</summary>
        public float ActionMin { get; set; } = -1f;

        /// <summary>Upper action bound (normalized); samples are clipped to it.</summary>
        public float ActionMax { get; set; } = 1f;

        /// <summary>Whether the best sample or the mean is returned.</summary>
        public CemResult Result { get; set; } = CemResult.BestSample;

        /// <summary>Seed of the sample stream.</summary>
        public uint Seed { get; set; } = 1;

        /// <summary>Throws <see cref="System.ArgumentException"/> naming the first setting outside its range.</summary>
        public void Validate()
        {
            Validation.RequireInRange(Samples, 2, 100000, nameof(Samples));
            Validation.RequireInRange(Horizon, 1, 1000, nameof(Horizon));
            Validation.RequireInRange(Iterations, 1, 100, nameof(Iterations));
            Validation.RequireInRange(Elites, 1, Samples, nameof(Elites));
            Validation.RequireInRange(Smoothing, 0f, 0.999f, nameof(Smoothing));
            Validation.RequireAbove(InitialStandardDeviation, 0f, 2f, nameof(InitialStandardDeviation));
            Validation.RequireInRange(MinimumStandardDeviation, 0f, InitialStandardDeviation, nameof(MinimumStandardDeviation));
            PlannerValidation.RequireActionBounds(ActionMin, ActionMax);
            if (Result != CemResult.BestSample && Result != CemResult.Mean)
            {
                throw new System.ArgumentException("Result must be BestSample or Mean.", nameof(Result));
            }
        }
    }
}
