namespace EmbeddedMpc.Core.Costs
{
    /// <summary>Weights of <see cref="BalanceCost"/>; validated when the cost is built.</summary>
    public sealed class BalanceCostSettings
    {
        /// <summary>Weight of x^2 (1/m²); [0, 1e4].</summary>
        public float CartPositionWeight { get; set; } = 1f;

        /// <summary>Weight of xDot^2 (s²/m²); [0, 1e4].</summary>
        public float CartVelocityWeight { get; set; } = 0.1f;

        /// <summary>Weight of theta^2 near upright (1/rad²); [0, 1e4].</summary>
        public float AngleWeight { get; set; } = 10f;

        /// <summary>Weight of thetaDot^2 (s²/rad²); [0, 1e4].</summary>
        public float AngularVelocityWeight { get; set; } = 0.1f;

        /// <summary>Weight of the squared normalized action; [0, 1e4].</summary>
        public float ControlWeight { get; set; } = 0.01f;

        /// <summary>Multiplier of the state cost at the end of the horizon; [0, 1e4].</summary>
        public float TerminalWeight { get; set; } = 5f;

        /// <summary>Width of the track-limit zone as a fraction of the track half-length; (0, 1].</summary>
        public float TrackMarginFraction { get; set; } = 0.25f;

        /// <summary>Track-limit penalty at the limit; [0, 1e6].</summary>
        public float TrackPenaltyWeight { get; set; } = 10f;

        /// <summary>Throws <see cref="System.ArgumentException"/> naming the first weight outside its range.</summary>
        public void Validate()
        {
            Validation.RequireInRange(CartPositionWeight, 0f, 1e4f, nameof(CartPositionWeight));
            Validation.RequireInRange(CartVelocityWeight, 0f, 1e4f, nameof(CartVelocityWeight));
            Validation.RequireInRange(AngleWeight, 0f, 1e4f, nameof(AngleWeight));
            Validation.RequireInRange(AngularVelocityWeight, 0f, 1e4f, nameof(AngularVelocityWeight));
            Validation.RequireInRange(ControlWeight, 0f, 1e4f, nameof(ControlWeight));
            Validation.RequireInRange(TerminalWeight, 0f, 1e4f, nameof(TerminalWeight));
            Validation.RequireAbove(TrackMarginFraction, 0f, 1f, nameof(TrackMarginFraction));
            Validation.RequireInRange(TrackPenaltyWeight, 0f, 1e6f, nameof(TrackPenaltyWeight));
        }
    }
}
