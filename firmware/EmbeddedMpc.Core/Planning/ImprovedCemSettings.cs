namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// Sizes and switches of <see cref="ImprovedCemOptimizer"/> (iCEM, Pinneri et al., CoRL 2020);
    /// validated by its constructor. Each refinement can be switched off to compare with plain CEM.
    /// </summary>
    public sealed class ImprovedCemSettings
    {
        /// <summary>Samples in the first iteration; [2, 100000].</summary>
        public int Samples { get; set; } = 10;

        /// <summary>Knots per plan (the optimizer's horizon); [1, 1000].</summary>
        public int Horizon { get; set; } = 10;

        /// <summary>Iterations per call; [1, 100].</summary>
        public int Iterations { get; set; } = 2;

        /// <summary>Elites per iteration; [1, Samples].</summary>
        public int Elites { get; set; } = 3;

        /// <summary>Population decay: iteration i draws max(Elites + 1, Samples / Decay^i) new samples; [1, 10].</summary>
        public float PopulationDecay { get; set; } = 1.25f;

        /// <summary>Fraction of the elites carried into the next iteration's population; [0, 1].</summary>
        public float KeepEliteFraction { get; set; } = 0.3f;

        /// <summary>Whether the last call's elites, shifted by one control period, join the first iteration.</summary>
        public bool ShiftElites { get; set; } = true;

        /// <summary>How far one control period moves the plan, in knots (for the elite shift); (0, 1000].</summary>
        public float KnotsPerTick { get; set; } = 1f;

        /// <summary>Whether the mean joins the population of the last iteration.</summary>
        public bool AddMeanInLastIteration { get; set; } = true;

        /// <summary>
        /// Correlation of the sampling noise between neighbouring knots, [0, 0.99]: the noise is the AR(1)
        /// process e_k = rho e_(k-1) + sqrt(1 - rho^2) w_k (unit variance, most power at low frequency:
        /// a cheap stand-in for iCEM's power-law coloured noise). 0 is white noise.
        /// </summary>
        public float NoiseCorrelation { get; set; } = 0.6f;

        /// <summary>Smoothing alpha of the mean and standard-deviation refit; [0, 1).</summary>
        public float Smoothing { get; set; } = 0.1f;

        /// <summary>Standard deviation each call starts from; (0, 2].</summary>
        public float InitialStandardDeviation { get; set; } = 0.5f;

        /// <summary>Floor of the standard deviation; [0, InitialStandardDeviation].</summary>
        public float MinimumStandardDeviation { get; set; } = 0.05f;

        /// <summary>Lower action bound (normalized).</summary>
        public float ActionMin { get; set; } = -1f;

        /// <summary>Upper action bound (normalized).</summary>
        public float ActionMax { get; set; } = 1f;

        /// <summary>Seed of the sample stream.</summary>
        public uint Seed { get; set; } = 1;

        /// <summary>Throws <see cref="System.ArgumentException"/> naming the first setting outside its range.</summary>
        public void Validate()
        {
            Validation.RequireInRange(Samples, 2, 100000, nameof(Samples));
            Validation.RequireInRange(Horizon, 1, 1000, nameof(Horizon));
            Validation.RequireInRange(Iterations, 1, 100, nameof(Iterations));
            Validation.RequireInRange(Elites, 1, Samples, nameof(Elites));
            Validation.RequireInRange(PopulationDecay, 1f, 10f, nameof(PopulationDecay));
            Validation.RequireInRange(KeepEliteFraction, 0f, 1f, nameof(KeepEliteFraction));
            Validation.RequireAbove(KnotsPerTick, 0f, 1000f, nameof(KnotsPerTick));
            Validation.RequireInRange(NoiseCorrelation, 0f, 0.99f, nameof(NoiseCorrelation));
            Validation.RequireInRange(Smoothing, 0f, 0.999f, nameof(Smoothing));
            Validation.RequireAbove(InitialStandardDeviation, 0f, 2f, nameof(InitialStandardDeviation));
            Validation.RequireInRange(MinimumStandardDeviation, 0f, InitialStandardDeviation, nameof(MinimumStandardDeviation));
            PlannerValidation.RequireActionBounds(ActionMin, ActionMax);
        }
    }
}
