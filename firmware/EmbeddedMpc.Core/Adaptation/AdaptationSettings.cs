namespace EmbeddedMpc.Core.Adaptation
{
    /// <summary>
    /// Sizes of the online model adaptation (<see cref="OnlineModelAdaptation"/>), fixed at construction and
    /// validated once by <see cref="Validate"/>. The parameters are estimated relative to the prior (the
    /// planner's model at start-up): 1 is the prior's value.
    /// </summary>
    public sealed class AdaptationSettings
    {
        /// <summary>
        /// Forgetting factor of the recursive least squares per accepted equation; [0.9, 1]. 0.995 keeps a
        /// memory of some 200 equations, i.e. about 4 s of exciting motion at 50 Hz with one equation per tick.
        /// </summary>
        public float ForgettingFactor { get; set; } = 0.995f;

        /// <summary>
        /// Time constant τ of the regressor's low-pass filter 1 / (τ s + 1)², s; [0.02, 2]. It replaces the
        /// numerical differentiation of the encoder positions; longer smooths the encoder quantization more
        /// and follows fast swings less.
        /// </summary>
        public float FilterTimeConstantSeconds { get; set; } = 0.1f;

        /// <summary>
        /// Dead zone on the excitation: an equation whose normalized regressor is shorter than this does not
        /// update the estimate (nor forget), so a pole balanced still, with only sensor noise in the data,
        /// leaves the estimate where it is; [0, 10].
        /// </summary>
        public float ExcitationThreshold { get; set; } = 0.05f;

        /// <summary>
        /// Weight of the cart's equation against the pole's; [0.01, 100]. Both are normalized to order 1 (the
        /// cart's by the stall force, the pole's by m l g), but the cart's is the cleaner by far: on the esp32 rig
        /// in closed loop its residual with the true parameters is 0.2 % of its size, the pole's some 10 %.
        /// Weighted equally, the cart's mass, whose column is small beside the drive's back-EMF damping, hardly
        /// moved from a prior 17 % off in 10 s.
        /// </summary>
        public float CartEquationWeight { get; set; } = 10f;

        /// <summary>Prior's relative standard deviation: the initial covariance is its square times I; (0, 10].</summary>
        public float InitialRelativeStandardDeviation { get; set; } = 0.3f;

        /// <summary>
        /// Ceiling of each parameter's variance, in multiples of the initial variance; [1, 100]. Forgetting
        /// along directions the data do not excite would make the covariance grow without bound (wind-up);
        /// the ceiling holds each variance at most here.
        /// </summary>
        public float CovarianceCeilingFactor { get; set; } = 1f;

        /// <summary>Smallest estimate of M + m, m l and J, relative to the prior; (0, 1].</summary>
        public float LowerRelativeBound { get; set; } = 0.5f;

        /// <summary>Largest estimate of each parameter (dampings included), relative to the prior; [1, 10].</summary>
        public float UpperRelativeBound { get; set; } = 2f;

        /// <summary>Throws <see cref="System.ArgumentException"/> naming the first setting outside its range.</summary>
        public void Validate()
        {
            Validation.RequireInRange(ForgettingFactor, 0.9f, 1f, nameof(ForgettingFactor));
            Validation.RequireInRange(FilterTimeConstantSeconds, 0.02f, 2f, nameof(FilterTimeConstantSeconds));
            Validation.RequireInRange(ExcitationThreshold, 0f, 10f, nameof(ExcitationThreshold));
            Validation.RequireInRange(CartEquationWeight, 0.01f, 100f, nameof(CartEquationWeight));
            Validation.RequireAbove(InitialRelativeStandardDeviation, 0f, 10f, nameof(InitialRelativeStandardDeviation));
            Validation.RequireInRange(CovarianceCeilingFactor, 1f, 100f, nameof(CovarianceCeilingFactor));
            Validation.RequireAbove(LowerRelativeBound, 0f, 1f, nameof(LowerRelativeBound));
            Validation.RequireInRange(UpperRelativeBound, 1f, 10f, nameof(UpperRelativeBound));
        }

        /// <summary>A field-by-field copy.</summary>
        public AdaptationSettings Clone()
        {
            return new AdaptationSettings
            {
                ForgettingFactor = ForgettingFactor,
                FilterTimeConstantSeconds = FilterTimeConstantSeconds,
                ExcitationThreshold = ExcitationThreshold,
                CartEquationWeight = CartEquationWeight,
                InitialRelativeStandardDeviation = InitialRelativeStandardDeviation,
                CovarianceCeilingFactor = CovarianceCeilingFactor,
                LowerRelativeBound = LowerRelativeBound,
                UpperRelativeBound = UpperRelativeBound,
            };
        }
    }
}
