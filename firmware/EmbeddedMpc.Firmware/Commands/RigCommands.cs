using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.Firmware.Commands
{
    /// <summary>
    /// Start, stop and reset, from the host link (Command frames) or the start button, applied to the
    /// supervisor by the Core's <see cref="DeviceCommands"/> (the rules HIL mode uses too). One Start
    /// runs the whole sequence (home if needed, then swing up and balance): it sets
    /// <see cref="Supervisor.AutoStart"/>, which lets Ready move on to SwingUp; Stop and Reset clear it,
    /// so that a stopped rig stays in Ready.
    /// </summary>
    internal sealed class RigCommands
    {
        private readonly Supervisor _supervisor;

        /// <param name="supervisor">The control loop's supervisor.</param>
        public RigCommands(Supervisor supervisor)
        {
            _supervisor = supervisor;
        }

        /// <summary>
        /// Applies <paramref name="command"/>. Start is refused in Fault (a Reset comes first); an unknown
        /// command is refused as unsupported.
        /// </summary>
        public AckStatus Apply(DeviceCommand command)
        {
            return DeviceCommands.Apply(_supervisor, command);
        }

        /// <summary>
        /// The start button: in Fault it resets, in Idle or Ready it starts, while the motor may run
        /// (Homing, SwingUp, Balance) it stops.
        /// </summary>
        public void ButtonPressed()
        {
            switch (_supervisor.Mode)
            {
                case SupervisorMode.Fault:
                    Apply(DeviceCommand.Reset);
                    break;
                case SupervisorMode.Idle:
                case SupervisorMode.Ready:
                    Apply(DeviceCommand.Start);
                    break;
                default:
                    Apply(DeviceCommand.Stop);
                    break;
            }
        }
    }
}
