namespace EmbeddedMpc.Core.Planning
{
    /// <summary>Checks shared by the planner settings classes.</summary>
    internal static class PlannerValidation
    {
        /// <summary>Requires -1 &lt;= min &lt; max &lt;= 1.</summary>
        public static void RequireActionBounds(float actionMin, float actionMax)
        {
            Validation.RequireInRange(actionMin, -1f, 1f, "ActionMin");
            Validation.RequireInRange(actionMax, -1f, 1f, "ActionMax");
            if (!(actionMin < actionMax))
            {
                throw new System.ArgumentException("ActionMax must be greater than ActionMin; got ActionMin " + actionMin.ToString() + " and ActionMax " + actionMax.ToString() + ".", "ActionMax");
            }
        }

        /// <summary>
        /// Requires a plan of at least <paramref name="horizon"/> elements; checked in DEBUG builds only. It throws
        /// rather than calling Debug.Assert with a message, whose string would be built on every planning tick.
        /// </summary>
        /// <exception cref="System.ArgumentException">The plan is null or shorter than the horizon.</exception>
        [System.Diagnostics.Conditional("DEBUG")]
        public static void AssertPlanLength(float[] plan, int horizon)
        {
            if (plan == null || plan.Length < horizon)
            {
                throw new System.ArgumentException("The plan must hold at least Horizon actions.", "plan");
            }
        }
    }
}
