namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// A planner (a policy or an optimizer) that stops at a <see cref="PlanningDeadline"/> with the best plan
    /// it has so far. The control loop hands its deadline to the policies that implement this; a
    /// receding-horizon controller hands it on to its optimizer.
    /// </summary>
    public interface IAnytimePlanner
    {
        /// <summary>Checks <paramref name="deadline"/> between units of work from now on (null: plan to the full size).</summary>
        void UseDeadline(PlanningDeadline deadline);
    }
}
