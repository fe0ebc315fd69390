namespace EmbeddedMpc.Core.Hardware
{
    /// <summary>
    /// A monotonic microsecond clock (HighResTimer on the ESP32, Stopwatch on the host, simulated time
    /// in deterministic runs).
    /// </summary>
    public interface IMicrosecondClock
    {
        /// <summary>Microseconds since an arbitrary fixed origin.</summary>
        long NowMicroseconds { get; }
    }
}
