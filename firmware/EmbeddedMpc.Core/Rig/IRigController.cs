using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Rig
{
    /// <summary>
    /// The platform's side of rig mode (<see cref="RigModeDevice"/>): builds the Core's control loop for a rig
    /// profile around the platform's own sensors, motor and clock, with its own planner (the firmware's compiled-in
    /// one; the virtual rig's `--planner`). Called at start-up and when a Configuration is accepted (allocates).
    /// </summary>
    public interface IRigController
    {
        /// <summary>
        /// A new control loop for <paramref name="profile"/>: supervisor in Idle (or Ready if the platform's rig starts
        /// homed), AutoStart off.
        /// </summary>
        /// <exception cref="System.ArgumentException">The profile does not suit this platform (e.g. its control period).</exception>
        ControlLoop Build(RigProfile profile);
    }
}
