using EmbeddedMpc.Core.Hardware;

namespace EmbeddedMpc.Core.Hil
{
    /// <summary>
    /// The Core's motor in HIL: it holds the signed duty the control loop (or the link watchdog) set, and
    /// <see cref="HilDevice"/> sends it to the host in the tick's MotorCommand, where the simulated drive
    /// applies it. Nothing physical moves. Allocates nothing.
    /// </summary>
    public sealed class HilMotorDriver : IMotorDriver
    {
        private float _duty;

        /// <summary>The duty set last, [-1, 1] as the actuator produces it; 0 = motor off.</summary>
        public float Duty => _duty;

        /// <inheritdoc />
        public void SetDuty(float signedDuty)
        {
            _duty = signedDuty;
        }
    }
}
