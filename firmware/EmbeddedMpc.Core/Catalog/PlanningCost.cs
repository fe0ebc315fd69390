namespace EmbeddedMpc.Core.Catalog
{
    /// <summary>What a <see cref="PlannerDefinition"/>'s rollouts are scored by.</summary>
    public enum PlanningCost
    {
        /// <summary>The task's cost: <see cref="Costs.SwingUpCost"/> for a swing-up, <see cref="Costs.BalanceCost"/> for a balance task.</summary>
        Task = 0,

        /// <summary>
        /// The swing-up cost with the energy deficit added to its terminal cost, and the swing-up LQR's
        /// cost-to-go replacing the terminal cost where lower (<see cref="ControllerFactory.SwingUpTerminalLqr"/>).
        /// A balance task: the balance cost with that terminal value.
        /// </summary>
        TaskWithTerminalValue = 1,

        /// <summary>
        /// The dm_control reward itself (<see cref="Costs.DmControlRewardCost"/>, 1 - r per step) with the
        /// reward LQR's cost-to-go as terminal value (<see cref="ControllerFactory.DmControlRewardLqr"/>).
        /// A balance task: as <see cref="TaskWithTerminalValue"/>.
        /// </summary>
        DmControlRewardWithTerminalValue = 2,
    }
}
