using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Firmware.Drivers.Encoders;
using EmbeddedMpc.Firmware.Drivers.Switches;

namespace EmbeddedMpc.Firmware
{
    /// <summary>
    /// The Core's view of the rig's sensors over the ESP32 drivers: both PCNT encoder counts, both limit
    /// switches and the E-stop, sampled in that order at the start of a tick (the encoders first, so
    /// that the counts belong as closely as possible to the tick's start time). It notes the microsecond
    /// time of each reading's encoder reads (<see cref="ISampleClock"/>), which the estimator divides by
    /// (<see cref="ControlStack"/> connects the two): a late tick or a skipped period does not distort the
    /// velocities.
    /// </summary>
    internal sealed class RigSensors : IRigSensors, ISampleClock
    {
        private readonly QuadratureEncoder _cartEncoder;
        private readonly QuadratureEncoder _poleEncoder;
        private readonly RigInputs _inputs;
        private readonly Esp32Clock _clock = new Esp32Clock();
        private long _lastSampleMicroseconds;

        /// <param name="cartEncoder">Cart encoder (counts grow toward +x).</param>
        /// <param name="poleEncoder">Pole encoder (counts grow as the top of the pole moves toward +x).</param>
        /// <param name="inputs">Limit switches and E-stop.</param>
        public RigSensors(QuadratureEncoder cartEncoder, QuadratureEncoder poleEncoder, RigInputs inputs)
        {
            _cartEncoder = cartEncoder;
            _poleEncoder = poleEncoder;
            _inputs = inputs;
        }

        /// <inheritdoc />
        public long LastSampleMicroseconds => _lastSampleMicroseconds;

        /// <inheritdoc />
        public void Read(ref SensorReading reading)
        {
            // Noted just before the encoder reads, which take some tens of µs on the interpreter.
            _lastSampleMicroseconds = _clock.NowMicroseconds;
            reading.CartCount = _cartEncoder.ReadCount();
            reading.PoleCount = _poleEncoder.ReadCount();
            reading.NegativeLimitTripped = _inputs.NegativeLimitTripped;
            reading.PositiveLimitTripped = _inputs.PositiveLimitTripped;
            reading.EmergencyStopPressed = _inputs.EmergencyStopPressed;
        }
    }
}
