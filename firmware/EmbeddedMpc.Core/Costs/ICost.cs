using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Costs
{
    /// <summary>
    /// A running and terminal cost over cart-pole trajectories; lower is better. Implementations
    /// allocate nothing and throw nothing in these methods (they run inside every rollout).
    /// </summary>
    public interface ICost
    {
        /// <summary>Cost of one step that ends in <paramref name="state"/> after applying <paramref name="action"/> (normalized, [-1, 1]).</summary>
        float StageCost(ref CartPoleState state, float action);

        /// <summary>Cost of ending the horizon in <paramref name="state"/>.</summary>
        float TerminalCost(ref CartPoleState state);
    }
}
