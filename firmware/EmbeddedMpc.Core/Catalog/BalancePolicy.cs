namespace EmbeddedMpc.Core.Catalog
{
    /// <summary>What a <see cref="PlannerDefinition"/> hands over to in the supervisor's Balance mode.</summary>
    public enum BalancePolicy
    {
        /// <summary>The planner itself keeps planning.</summary>
        Planner = 0,

        /// <summary>The balance LQR (<see cref="ControllerFactory.BalanceLqr"/>).</summary>
        Lqr = 1,

        /// <summary>The LQR of the dm_control reward's quadratic approximation (<see cref="ControllerFactory.DmControlRewardLqr"/>).</summary>
        DmControlRewardLqr = 2,
    }
}
