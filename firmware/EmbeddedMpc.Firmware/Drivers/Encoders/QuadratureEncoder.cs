using System.Device.Gpio;

namespace EmbeddedMpc.Firmware.Drivers.Encoders
{
    /// <summary>
    /// A quadrature encoder counted in hardware by one ESP32 PCNT unit (<see cref="GpioPulseCounter"/>
    /// with both channels): channel A is the pulse input and B sets the direction. The count is kept
    /// as a 64-bit value by the native driver (it extends the 16-bit hardware counter on overflow), so
    /// it never wraps in practice. Counting starts at 0 when the object is built; the estimator's
    /// homing sets the origin. Software decoding in GPIO callbacks is not an option at the encoder
    /// rates of this rig (up to 3.6 kHz per channel).
    /// </summary>
    /// <remarks>
    /// How many counts one quadrature cycle gives depends on the native driver's channel set-up (see
    /// <see cref="FirmwareSettings.EncoderCountsPerQuadratureCycle"/>). <see cref="GpioPulsePolarity.Falling"/>
    /// is the library's default, set here explicitly because the native code reads it. Each
    /// <see cref="ReadCount"/> returns a <see cref="GpioPulseCount"/> that the native code creates as a
    /// new object on the managed heap: a small allocation per read that this API does not let us avoid.
    /// </remarks>
    internal sealed class QuadratureEncoder
    {
        private readonly GpioPulseCounter _counter;

        /// <param name="pinA">GPIO of channel A (pulse input).</param>
        /// <param name="pinB">GPIO of channel B (direction).</param>
        /// <param name="glitchFilter">PCNT glitch filter, 0..1023 (see <see cref="FirmwareSettings.EncoderGlitchFilter"/>).</param>
        /// <exception cref="System.ArgumentException">A pin is negative or already used by a counter, or the filter is above 1023.</exception>
        /// <exception cref="System.NotSupportedException">No free PCNT unit (the ESP32 has eight).</exception>
        public QuadratureEncoder(int pinA, int pinB, ushort glitchFilter)
        {
            _counter = new GpioPulseCounter(pinA, pinB);
            _counter.Polarity = GpioPulsePolarity.Falling;
            _counter.FilterPulses = glitchFilter;
            _counter.Start();
        }

        /// <summary>Counts since start-up, signed (grows in the encoder's positive direction).</summary>
        public long ReadCount()
        {
            GpioPulseCount count = _counter.Read();
            return count.Count;
        }
    }
}
