using EmbeddedMpc.Core.Hardware;

namespace EmbeddedMpc.Core.Hil
{
    /// <summary>
    /// The Core's sensors in HIL: the reading of the latest SensorReadings frame from the host.
    /// <see cref="HilDevice"/> stores each reading just before it runs the tick it belongs to, so the
    /// control loop reads exactly what the host sent. Allocates nothing.
    /// </summary>
    public sealed class HilSensors : IRigSensors
    {
        private SensorReading _latest;

        /// <summary>Stores <paramref name="reading"/> as the one the next tick reads.</summary>
        public void Update(ref SensorReading reading)
        {
            _latest.CartCount = reading.CartCount;
            _latest.PoleCount = reading.PoleCount;
            _latest.NegativeLimitTripped = reading.NegativeLimitTripped;
            _latest.PositiveLimitTripped = reading.PositiveLimitTripped;
            _latest.EmergencyStopPressed = reading.EmergencyStopPressed;
        }

        /// <inheritdoc />
        public void Read(ref SensorReading reading)
        {
            reading.CartCount = _latest.CartCount;
            reading.PoleCount = _latest.PoleCount;
            reading.NegativeLimitTripped = _latest.NegativeLimitTripped;
            reading.PositiveLimitTripped = _latest.PositiveLimitTripped;
            reading.EmergencyStopPressed = _latest.EmergencyStopPressed;
        }
    }
}
