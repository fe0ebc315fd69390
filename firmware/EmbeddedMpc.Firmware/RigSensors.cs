using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Firmware.Drivers.Encoders;
using EmbeddedMpc.Firmware.Drivers.Switches;

namespace EmbeddedMpc.Firmware
{
    /// <summary>
    /// The Core's view of the rig's sensors over the ESP32 drivers: both PCNT encoder counts, both limit
    /// switches and the E-stop, sampled in that order at the start of a tick (the encoders first, so
    /// that the counts belong as closely as possible to the tick's start time). Each reading carries the
    /// microsecond time of its encoder reads (<see cref="SensorReading.SampleTimeMicroseconds"/>), so the
    /// estimator divides by the time that really passed since the last reading: a late tick or a skipped
    /// period does not distort the velocities.
    /// </summary>
    internal sealed class RigSensors : IRigSensors
    {
        private readonly QuadratureEncoder _cartEncoder;
        private readonly QuadratureEncoder _poleEncoder;
        private readonly RigInputs _inputs;
        private readonly Esp32Clock _clock = new Esp32Clock();

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
        public void Read(ref SensorReading reading)
        {
            // Stamped just before the encoder reads, which take some tens of µs on the interpreter.
            reading.SampleTimeMicroseconds = _clock.NowMicroseconds;
            reading.HasSampleTime = true;
            reading.CartCount = _cartEncoder.ReadCount();
            reading.PoleCount = _poleEncoder.ReadCount();
            reading.NegativeLimitTripped = _inputs.NegativeLimitTripped;
            reading.PositiveLimitTripped = _inputs.PositiveLimitTripped;
            reading.EmergencyStopPressed = _inputs.EmergencyStopPressed;
        }
    }
}
