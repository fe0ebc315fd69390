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

        /// <summary>Requires a plan of at least <paramref name="horizon"/> elements.</summary>
        [System.Diagnostics.Conditional("DEBUG")]
        public static void AssertPlanLength(float[] plan, int horizon)
        {
            System.Diagnostics.Debug.Assert(plan != null && plan.Length >= horizon, "plan shorter than the horizon");
        }
    }
}
