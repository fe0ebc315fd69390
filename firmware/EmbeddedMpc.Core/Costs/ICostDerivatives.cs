using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Costs
{
    /// <summary>
    /// A cost that can also give its exact first and second derivatives, for gradient-based planners
    /// (<see cref="Planning.IterativeLqrOptimizer"/>); without them a planner falls back to finite
    /// differences. The variables are z = (x, xDot, theta, thetaDot, u): gradients have 5 entries,
    /// Hessians 5 x 5 row-major. Implementations allocate nothing and throw nothing.
    /// </summary>
    public interface ICostDerivatives
    {
        /// <summary>
        /// Writes the gradient and Hessian of <see cref="ICost.StageCost"/> at (<paramref name="state"/>,
        /// <paramref name="action"/>). Returns false, writing nothing useful, when this cost cannot
        /// (e.g. a wrapper around a cost without derivatives).
        /// </summary>
        bool StageCostDerivatives(ref CartPoleState state, float action, float[] gradient, float[] hessian);

        /// <summary>
        /// Writes the gradient and Hessian of <see cref="ICost.TerminalCost"/> at <paramref name="state"/>
        /// (the action's entries zero). Returns false when this cost cannot.
        /// </summary>
        bool TerminalCostDerivatives(ref CartPoleState state, float[] gradient, float[] hessian);
    }
}
