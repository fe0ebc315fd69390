using EmbeddedMpc.Core.Hardware;
using nanoFramework.Hardware.Esp32;

namespace EmbeddedMpc.Firmware
{
    /// <summary>
    /// The Core's microsecond clock on the ESP32: <c>HighResTimer.GetCurrent()</c>, the ESP-IDF
    /// esp_timer count of microseconds since boot (64-bit, 1 µs resolution). <c>Environment.TickCount64</c>
    /// and <c>Stopwatch</c> tick in 10 ms steps on this target and are no use for loop timing.
    /// Allocates nothing.
    /// </summary>
    internal sealed class Esp32Clock : IMicrosecondClock
    {
        /// <summary>Microseconds since boot; wraps after 2^63 µs (never, in practice).</summary>
        public long NowMicroseconds => (long)HighResTimer.GetCurrent();
    }
}
