using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Policies
{
    /// <summary>
    /// Plays a command sequence computed in advance, one entry per control period, without looking at
    /// the state: open-loop control, the counterpart of the receding-horizon controller that re-plans
    /// from every measurement. After the last entry it commands 0. <see cref="Reset"/> rewinds to the
    /// first entry (the control loop resets a policy when it takes over). Allocates nothing.
    /// </summary>
    public sealed class OpenLoopPolicy : IPolicy
    {
        private readonly float[] _commands;
        private int _next;

        /// <param name="commands">Normalized commands in [-1, 1], one per control period (copied).</param>
        /// <exception cref="System.ArgumentException">The array is null or empty, or holds a value outside [-1, 1].</exception>
        public OpenLoopPolicy(float[] commands)
        {
            Validation.RequireNotNull(commands, nameof(commands));
            Validation.RequireInRange(commands.Length, 1, int.MaxValue, "commands.Length");
            _commands = new float[commands.Length];
            for (int i = 0; i < commands.Length; i++)
            {
                Validation.RequireInRange(commands[i], -1f, 1f, "commands[" + i.ToString() + "]");
                _commands[i] = commands[i];
            }
        }

        /// <summary>Entries in the sequence.</summary>
        public int Length => _commands.Length;

        /// <summary>Index of the entry the next call plays.</summary>
        public int Position => _next;

        /// <inheritdoc />
        public float LastPlanCost => 0f;

        /// <inheritdoc />
        public int LastModelSteps => 0;

        /// <inheritdoc />
        public float ComputeAction(ref CartPoleState state)
        {
            if (_next >= _commands.Length)
            {
                return 0f;
            }

            return _commands[_next++];
        }

        /// <inheritdoc />
        public void Reset()
        {
            _next = 0;
        }
    }
}
