namespace EmbeddedMpc.Core.Planning
{
    /// <summary>Sizes and weights of <see cref="MppiOptimizer"/>; validated by its constructor.</summary>
    public sealed class MppiSettings
    {
        /// <summary>Perturbed sequences per iteration (plus the unperturbed mean); [1, 100000].</summary>
        public int Samples { get; set; } = 9;

        /// <summary>Knots per plan (the optimizer's horizon); [1, 1000].</summary>
        public int Horizon { get; set; } = 10;

        /// <summary>Weighting-and-update rounds per call; [1, 100].</summary>
        public int Iterations { get; set; } = 1;

        /// <summary>Temperature lambda of the path-integral weights exp(-(c - c_min) / lambda), cost units; (0, 1e6].</summary>
        public float Temperature { get; set; } = 1f;

        /// <summary>Standard deviation of the perturbations, normalized action units; (0, 2].</summary>
        public float NoiseStandardDeviation { get; set; } = 0.4f;

        /// <summary>Correlation of the perturbation between neighbouring knots (AR(1), as in iCEM); [0, 0.99].</summary>
        public float NoiseCorrelation { get; set; } = 0.6f;

        /// <summary>Lower action bound (normalized).</summary>
        public float ActionMin { get; set; } = -1f;

        /// <summary>Upper action bound (normalized).</summary>
        public float ActionMax { get; set; } = 1f;

        /// <summary>Seed of the sample stream.</summary>
        public uint Seed { get; set; } = 1;

        /// <summary>Throws <see cref="System.ArgumentException"/> naming the first setting outside its range.</summary>
        public void Validate()
        {
            Validation.RequireInRange(Samples, 1, 100000, nameof(Samples));
            Validation.RequireInRange(Horizon, 1, 1000, nameof(Horizon));
            Validation.RequireInRange(Iterations, 1, 100, nameof(Iterations));
            Validation.RequireAbove(Temperature, 0f, 1e6f, nameof(Temperature));
            Validation.RequireAbove(NoiseStandardDeviation, 0f, 2f, nameof(NoiseStandardDeviation));
            Validation.RequireInRange(NoiseCorrelation, 0f, 0.99f, nameof(NoiseCorrelation));
            PlannerValidation.RequireActionBounds(ActionMin, ActionMax);
        }
    }
}
