using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Control
{
    /// <summary>
    /// Something that picks the normalized drive command for a state: a receding-horizon planner, an
    /// LQR, an energy-pumping swing-up. The control loop runs one per mode (SwingUp, Balance).
    /// Allocates nothing and throws nothing in <see cref="ComputeAction"/>.
    /// </summary>
    public interface IPolicy
    {
        /// <summary>The command to apply now for <paramref name="state"/>, in [-1, 1].</summary>
        float ComputeAction(ref CartPoleState state);

        /// <summary>Cost the policy assigns to its choice on the last call (0 if it has none).</summary>
        float LastPlanCost { get; }

        /// <summary>Model steps the last call took (0 for policies that do not simulate).</summary>
        int LastModelSteps { get; }

        /// <summary>Forgets state kept between calls (plans, random streams).</summary>
        void Reset();
    }
}
