using System.IO.Ports;
using EmbeddedMpc.Core.Hil;
using nanoFramework.Hardware.Esp32;

namespace EmbeddedMpc.Firmware.Telemetry
{
    /// <summary>
    /// The UART of the host link: COM2 on GPIO 17 (TX) and 16 (RX), 8N1, no flow control (PROTOCOL.md,
    /// "Conventions"). Raw bytes in and out; the framing is the Core's. Used by rig mode
    /// (the Core's <see cref="EmbeddedMpc.Core.Rig.RigModeDevice"/>) and by HIL mode (the Core's <see cref="HilDevice"/> writes through
    /// it as its <see cref="ILinkTransmitter"/>). Allocates nothing after construction.
    /// </summary>
    internal sealed class HostLinkPort : ILinkTransmitter
    {
        private readonly SerialPort _port;

        /// <param name="portName">The UART, "COM2".</param>
        /// <param name="transmitPin">GPIO mapped to the UART's TX.</param>
        /// <param name="receivePin">GPIO mapped to the UART's RX.</param>
        /// <param name="baudRate">Line speed, baud; both ends must agree.</param>
        public HostLinkPort(string portName, int transmitPin, int receivePin, int baudRate)
        {
            Configuration.SetPinFunction(transmitPin, DeviceFunction.COM2_TX);
            Configuration.SetPinFunction(receivePin, DeviceFunction.COM2_RX);
            _port = new SerialPort(portName, baudRate);
            _port.Open();
        }

        /// <summary>
        /// Copies the bytes received so far (at most <paramref name="buffer"/>.Length) into
        /// <paramref name="buffer"/> and returns how many; 0 when nothing is waiting. Never blocks.
        /// </summary>
        public int ReadReceived(byte[] buffer)
        {
            int available = _port.BytesToRead;
            if (available <= 0)
            {
                return 0;
            }

            return _port.Read(buffer, 0, available < buffer.Length ? available : buffer.Length);
        }

        /// <summary>Writes <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
        public void Transmit(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }
    }
}
