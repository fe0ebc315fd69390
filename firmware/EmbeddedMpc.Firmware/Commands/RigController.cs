using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Rig;

namespace EmbeddedMpc.Firmware.Commands
{
    /// <summary>
    /// Rig mode's controller builder for the Core's <see cref="RigModeDevice"/>: the firmware's own control loop
    /// (<see cref="ControlStack.Build(RigProfile, IRigSensors, IMotorDriver, IMicrosecondClock)"/>: its compiled-in
    /// planner, anytime within the budget) for the built-in profile or a model a host sent, around the ESP32
    /// drivers. Building allocates; the device calls it at start-up and for an accepted Configuration only.
    /// </summary>
    internal sealed class RigController : IRigController
    {
        private readonly IRigSensors _sensors;
        private readonly IMotorDriver _motor;
        private readonly IMicrosecondClock _clock;

        /// <param name="sensors">Encoders, limit switches, E-stop.</param>
        /// <param name="motor">The H-bridge.</param>
        /// <param name="clock">The microsecond clock the planning budget is timed with.</param>
        public RigController(IRigSensors sensors, IMotorDriver motor, IMicrosecondClock clock)
        {
            _sensors = sensors;
            _motor = motor;
            _clock = clock;
        }

        /// <inheritdoc />
        public ControlLoop Build(RigProfile profile)
        {
            return ControlStack.Build(profile, _sensors, _motor, _clock);
        }
    }
}
