using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// What an optimizer sees of the problem: "roll this action sequence out from this state and
    /// give me its total cost" (lower is better; the negative of a return). Implementations
    /// allocate nothing and throw nothing in <see cref="RolloutCost"/>.
    /// </summary>
    public interface IRolloutEvaluator
    {
        /// <summary>
        /// Total cost of applying actions[offset .. offset + horizon - 1] (normalized, one per control
        /// period) from <paramref name="start"/>. <paramref name="start"/> is not modified.
        /// </summary>
        float RolloutCost(ref CartPoleState start, float[] actions, int offset, int horizon);

        /// <summary>Model steps taken by all rollouts so far (for the per-tick budget count).</summary>
        long ModelStepCount { get; }
    }
}
