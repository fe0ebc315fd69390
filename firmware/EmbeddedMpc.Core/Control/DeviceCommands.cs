using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.Core.Control
{
    /// <summary>
    /// The protocol's Command (PROTOCOL.md, Command 0x04) applied to a <see cref="Supervisor"/>: the same
    /// rules on the rig (the firmware's host link and start button) and in HIL (<see cref="Hil.HilDevice"/>).
    /// One Start runs the whole sequence (home if needed, then swing up and balance): it sets
    /// <see cref="Supervisor.AutoStart"/>, which lets Ready move on to SwingUp; Stop and Reset clear it,
    /// so that a stopped rig stays in Ready. Start is refused in Fault (a Reset comes first). Commands are
    /// idempotent, so a retried command is harmless. Allocates nothing.
    /// </summary>
    public static class DeviceCommands
    {
        /// <summary>Applies <paramref name="command"/> to <paramref name="supervisor"/> and returns the Ack status to answer with.</summary>
        /// <returns>
        /// <see cref="AckStatus.Accepted"/>; <see cref="AckStatus.WrongMode"/> for Start in Fault;
        /// <see cref="AckStatus.Unsupported"/> for None, for Excite (rig mode handles it: <see cref="Rig.RigModeDevice"/>;
        /// HIL mode has no excitation) or a byte that is not a <see cref="DeviceCommand"/>.
        /// </returns>
        /// <remarks>
        /// Runs inside a control tick (a Command frame, the start button), so it checks nothing that would load a
        /// string on the interpreter: <paramref name="supervisor"/> is the caller's own, never null.
        /// </remarks>
        public static AckStatus Apply(Supervisor supervisor, DeviceCommand command)
        {
            switch (command)
            {
                case DeviceCommand.Start:
                    if (supervisor.Mode == SupervisorMode.Fault)
                    {
                        return AckStatus.WrongMode;
                    }

                    supervisor.AutoStart = true;
                    supervisor.RequestStart();
                    return AckStatus.Accepted;
                case DeviceCommand.Stop:
                    supervisor.AutoStart = false;
                    supervisor.RequestStop();
                    return AckStatus.Accepted;
                case DeviceCommand.Reset:
                    supervisor.AutoStart = false;
                    supervisor.RequestReset();
                    return AckStatus.Accepted;
                default:
                    return AckStatus.Unsupported;
            }
        }

        /// <summary>True in the modes in which the supervisor lets the motor run: Homing, SwingUp and Balance.</summary>
        public static bool MotorMayRun(SupervisorMode mode)
        {
            return mode == SupervisorMode.Homing || mode == SupervisorMode.SwingUp || mode == SupervisorMode.Balance;
        }
    }
}
