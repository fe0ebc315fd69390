using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// An optimizer over open-loop action sequences of a fixed horizon. Given a start state and an
    /// initial plan (e.g. the previous tick's plan shifted by one step), it writes an improved plan
    /// in place. Implementations allocate all their buffers in the constructor; <see cref="Optimize"/>
    /// allocates nothing and throws nothing.
    /// </summary>
    public interface IActionSequenceOptimizer
    {
        /// <summary>Number of actions in a plan.</summary>
        int Horizon { get; }

        /// <summary>
        /// Improves <paramref name="plan"/> (length &gt;= <see cref="Horizon"/>, normalized actions) for
        /// <paramref name="start"/> and returns the cost of the plan it wrote, as the evaluator scores it.
        /// </summary>
        float Optimize(ref CartPoleState start, float[] plan);

        /// <summary>Forgets any state kept between calls and restarts the random stream from the seed.</summary>
        void Reset();
    }
}
