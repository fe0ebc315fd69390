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
    /// How many counts one quadrature cycle gives depends on the runtime's native PCNT set-up, not on this
    /// code: the ESP32 runtimes built on ESP-IDF 5.1.3 and later count 3 of the 4 edges with the default
    /// <see cref="GpioPulsePolarity.Falling"/>, older ones counted 4. The firmware ships 3, the pinned runtime's
    /// figure (<see cref="FirmwareSettings.EncoderCountsPerQuadratureCycle"/>, which says why), and the bring-up
    /// app confirms it on the board. <see cref="GpioPulsePolarity.Falling"/> is set here explicitly because the
    /// native code reads it.
    /// <para>
    /// Allocation: <see cref="GpioPulseCounter.Read"/> returns a <see cref="GpioPulseCount"/> struct that the
    /// native code creates on the managed heap (with the <c>TimeSpan</c> inside it), and the library has no
    /// overload that fills a caller's object, so every read leaves a small block of garbage that this driver
    /// cannot avoid. It reads the count straight off the returned value (no struct local, which would be one
    /// more heap copy on the interpreter). Two reads per tick; the loop statistics' free memory and collection
    /// time show what this costs on the board (firmware README, "Allocation on the device").
    /// </para>
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
            return _counter.Read().Count;
        }
    }
}
