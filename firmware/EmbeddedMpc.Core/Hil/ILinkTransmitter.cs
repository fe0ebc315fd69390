namespace EmbeddedMpc.Core.Hil
{
    /// <summary>
    /// Where the device's frames go: the serial port on the ESP32 (COM2), a pseudo-terminal or a test's
    /// buffer on the host. <see cref="HilDevice"/> hands it whole frames, several per call at most (a
    /// tick's MotorCommand, TickStatistics and Telemetry go in one call).
    /// </summary>
    public interface ILinkTransmitter
    {
        /// <summary>
        /// Sends <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>.
        /// The buffer is reused as soon as the call returns: copy or write it out before returning.
        /// </summary>
        void Transmit(byte[] buffer, int offset, int count);
    }
}
