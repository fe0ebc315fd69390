using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Protocol;

namespace EmbeddedMpc.Core.Hil
{
    /// <summary>
    /// The controller behind a HIL link, as <see cref="HilDevice"/> sees it: the Core's
    /// <see cref="ControlLoop"/>, wired to a <see cref="HilSensors"/> and a <see cref="HilMotorDriver"/>,
    /// which the platform builds its own way (the firmware from its compiled-in settings, the host's
    /// virtual device from its command line) and rebuilds for each connection and each accepted
    /// Configuration. Building allocates; <see cref="HilDevice"/> calls these members only between ticks.
    /// </summary>
    public interface IHilController
    {
        /// <summary>The control loop in use. <see cref="PowerOn"/> and an accepted <see cref="Configure"/> replace it.</summary>
        ControlLoop Loop { get; }

        /// <summary>Control period of the current configuration, µs; [1000, 1000000]. The link watchdog times with it.</summary>
        uint ControlPeriodMicroseconds { get; }

        /// <summary>
        /// Rebuilds the controller with the current configuration as at power-on of the rig behind the
        /// link (supervisor in Idle, or Ready if the platform's rig starts homed; AutoStart off; a fresh
        /// planner random stream). Called for each Hello: a new connection is a new simulated rig.
        /// </summary>
        void PowerOn();

        /// <summary>
        /// Validates <paramref name="configuration"/> whole (<see cref="ConfigurationRules.CheckRanges"/>, then
        /// the platform's tick-work limit with <see cref="ConfigurationRules.CheckTickWork"/>, before building
        /// anything) and, if it is acceptable, rebuilds the controller with it (as at power-on). Called only in
        /// Idle, Ready or Fault.
        /// </summary>
        /// <param name="configuration">The message received.</param>
        /// <param name="detail">For InvalidValue: the field or limit that refused it; else <see cref="AckDetail.None"/>.</param>
        /// <param name="limit">For <see cref="AckDetail.TickWork"/> and <see cref="AckDetail.PlannerMemory"/>: the limit; else 0.</param>
        /// <returns>
        /// <see cref="AckStatus.Accepted"/> when applied; <see cref="AckStatus.InvalidValue"/> when a value is
        /// outside the protocol's range or the platform's own limits, and then nothing has changed.
        /// </returns>
        AckStatus Configure(ref ConfigurationMessage configuration, out AckDetail detail, out uint limit);
    }
}
