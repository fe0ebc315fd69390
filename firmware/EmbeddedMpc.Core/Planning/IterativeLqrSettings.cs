namespace EmbeddedMpc.Core.Planning
{
    /// <summary>Sizes and step controls of <see cref="IterativeLqrOptimizer"/>; validated by its constructor.</summary>
    public sealed class IterativeLqrSettings
    {
        /// <summary>Actions per plan, one per model step (the rollout must have one model step per knot); [1, 1000].</summary>
        public int Horizon { get; set; } = 30;

        /// <summary>Backward-pass-and-line-search rounds per call; [1, 50].</summary>
        public int Iterations { get; set; } = 2;

        /// <summary>
        /// Forward passes a round may try, with step sizes 1, 1/2, 1/4, ... along the backward pass's
        /// update; [1, 10]. A round that finds no lower cost keeps the plan and raises the regularization.
        /// </summary>
        public int LineSearchSteps { get; set; } = DefaultLineSearchSteps;

        /// <summary>The default of <see cref="LineSearchSteps"/>.</summary>
        public const int DefaultLineSearchSteps = 4;

        /// <summary>Regularization mu at the first call (added to the action curvature: the step is -Q_u / (Q_uu + mu)); [1e-6, 1e6].</summary>
        public float InitialRegularization { get; set; } = 1e-2f;

        /// <summary>Step of the central differences that give the cost's gradient and curvature (state units and normalized action); [1e-4, 0.1].</summary>
        public float FiniteDifferenceStep { get; set; } = 0.01f;

        /// <summary>
        /// True: expand the cost with its exact derivatives where it has them (<see cref="Costs.ICostDerivatives"/>),
        /// about half the computation of a tick. False (default): by central differences of
        /// <see cref="FiniteDifferenceStep"/>, which also see the cost's kinks within a step of them (the
        /// control reward's at the action bounds, the track penalty's cliff) as steep curvature. Measured on
        /// the esp32 rig, seeds 1..60: iLQR 88 % swing-up success with differences, 73 % exact; iCEM + iLQR
        /// 97 % against 65 %; on dm_control both 100 %.
        /// </summary>
        public bool UseExactCostDerivatives { get; set; }

        /// <summary>Lower action bound (normalized).</summary>
        public float ActionMin { get; set; } = -1f;

        /// <summary>Upper action bound (normalized).</summary>
        public float ActionMax { get; set; } = 1f;

        /// <summary>Throws <see cref="System.ArgumentException"/> naming the first setting outside its range.</summary>
        public void Validate()
        {
            Validation.RequireInRange(Horizon, 1, 1000, nameof(Horizon));
            Validation.RequireInRange(Iterations, 1, 50, nameof(Iterations));
            Validation.RequireInRange(LineSearchSteps, 1, 10, nameof(LineSearchSteps));
            Validation.RequireInRange(InitialRegularization, 1e-6f, 1e6f, nameof(InitialRegularization));
            Validation.RequireInRange(FiniteDifferenceStep, 1e-4f, 0.1f, nameof(FiniteDifferenceStep));
            PlannerValidation.RequireActionBounds(ActionMin, ActionMax);
        }
    }
}
