namespace EmbeddedMpc.Core.Planning
{
    /// <summary>Sizes and bounds of <see cref="RandomShootingOptimizer"/>; validated by its constructor.</summary>
    public sealed class RandomShootingSettings
    {
        /// <summary>Candidate sequences per call, including the incoming plan; [2, 100000].</summary>
        public int Samples { get; set; } = 200;

        /// <summary>Actions per sequence; [1, 1000].</summary>
        public int Horizon { get; set; } = 50;

        /// <summary>Lower action bound (normalized); [-1, 1) and below <see cref="ActionMax"/>.</summary>
        public float ActionMin { get; set; } = -1f;

        /// <summary>Upper action bound (normalized); (-1, 1] and above <see cref="ActionMin"/>.</summary>
        public float ActionMax { get; set; } = 1f;

        /// <summary>Seed of the sample stream.</summary>
        public uint Seed { get; set; } = 1;

        /// <summary>Throws <see cref="System.ArgumentException"/> naming the first setting outside its range.</summary>
        public void Validate()
        {
            Validation.RequireInRange(Samples, 2, 100000, nameof(Samples));
            Validation.RequireInRange(Horizon, 1, 1000, nameof(Horizon));
            PlannerValidation.RequireActionBounds(ActionMin, ActionMax);
        }
    }
}
