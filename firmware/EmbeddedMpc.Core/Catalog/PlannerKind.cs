namespace EmbeddedMpc.Core.Catalog
{
    /// <summary>The optimizer (or the fixed policy) a <see cref="PlannerDefinition"/> swings up with.</summary>
    public enum PlannerKind
    {
        /// <summary>Random shooting (<see cref="Planning.RandomShootingOptimizer"/>).</summary>
        RandomShooting = 0,

        /// <summary>The Cross-Entropy Method, diagonal Gaussian (<see cref="Planning.CemOptimizer"/>).</summary>
        Cem = 1,

        /// <summary>iCEM: coloured noise, elite keeping and shifting (<see cref="Planning.ImprovedCemOptimizer"/>).</summary>
        ImprovedCem = 2,

        /// <summary>MPPI, path-integral weighting (<see cref="Planning.MppiOptimizer"/>).</summary>
        Mppi = 3,

        /// <summary>iLQR trajectory optimization (<see cref="Planning.IterativeLqrOptimizer"/>).</summary>
        IterativeLqr = 4,

        /// <summary>iCEM finds the basin, iLQR refines its best sequence (<see cref="Planning.SampleThenRefineOptimizer"/>).</summary>
        ImprovedCemThenIterativeLqr = 5,

        /// <summary>Monte Carlo tree search over command levels (<see cref="Planning.MctsOptimizer"/>).</summary>
        Mcts = 6,

        /// <summary>Energy pumping (<see cref="Policies.EnergySwingUpPolicy"/>): no model steps.</summary>
        EnergySwingUp = 7,
    }
}
