using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Planning;

namespace EmbeddedMpc.Core.Catalog
{
    /// <summary>
    /// Lets the builder of a controller replace what a sampling planner scores its plans with (e.g. the
    /// simulator's expected-return planning over sampled models). <see cref="ControllerFactory"/> asks it
    /// once per sampling planner, at construction.
    /// </summary>
    public interface IRolloutEvaluatorSource
    {
        /// <summary>The evaluator the planner scores with: <paramref name="nominal"/> itself, or one built around it.</summary>
        /// <param name="nominal">The rollout of the planner's model with <paramref name="cost"/> on <paramref name="grid"/>.</param>
        /// <param name="cost">The planning cost.</param>
        /// <param name="grid">The rollout's time grid (further rollouts must use the same one).</param>
        IRolloutEvaluator Evaluator(CartPoleRollout nominal, ICost cost, RolloutSettings grid);
    }
}
