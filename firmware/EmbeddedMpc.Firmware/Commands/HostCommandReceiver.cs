using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Firmware.Telemetry;

namespace EmbeddedMpc.Firmware.Commands
{
    /// <summary>
    /// Reads what the host sent on COM2, once per tick, and acts on complete frames: Hello (opens a
    /// session, answered with HelloAck), Command (start/stop/reset, answered with Ack), Configuration
    /// (answered with Ack Unsupported: on the rig this firmware's settings are compiled in). Heartbeats
    /// only show that the host is alive; SensorReadings are ignored here: they drive HIL mode
    /// (<see cref="Hil.HilThread"/>), which the HIL strap selects at boot.
    /// Framing errors are dropped and counted by the Core's <see cref="FrameDecoder"/>. Allocates
    /// nothing after construction and never blocks.
    /// </summary>
    internal sealed class HostCommandReceiver
    {
        /// <summary>Bytes taken from the UART per tick at most (a 921,600-baud line brings about 1,840 per 20 ms; the rest waits in the driver's buffer).</summary>
        public const int ReceiveChunkBytes = 64;

        private readonly SerialTelemetry _link;
        private readonly RigCommands _commands;
        private readonly FrameDecoder _decoder;
        private readonly byte[] _received; // [ReceiveChunkBytes]
        private HelloMessage _hello;
        private CommandMessage _command;

        /// <param name="link">The host link (for reading and for the answers).</param>
        /// <param name="commands">Where commands go.</param>
        public HostCommandReceiver(SerialTelemetry link, RigCommands commands)
        {
            _link = link;
            _commands = commands;
            _decoder = new FrameDecoder();
            _received = new byte[ReceiveChunkBytes];
        }

        /// <summary>The decoder, for its link-quality counters.</summary>
        public FrameDecoder Decoder => _decoder;

        /// <summary>Reads the bytes waiting on the link and handles every frame they complete.</summary>
        public void Poll()
        {
            int count = _link.ReadReceived(_received);
            int offset = 0;
            while (offset < count)
            {
                offset += _decoder.Feed(_received, offset, count - offset);
                if (_decoder.HasFrame)
                {
                    Handle();
                }
            }
        }

        private void Handle()
        {
            switch (_decoder.MessageType)
            {
                case MessageType.Hello:
                    _hello.Read(_decoder.Frame, FrameLayout.PayloadOffset);
                    _link.SendHelloAck(_link.OpenSession(_hello.Flags));
                    break;
                case MessageType.Command:
                    // Commands are idempotent: a retried (duplicate) one is applied and answered again.
                    _command.Read(_decoder.Frame, FrameLayout.PayloadOffset);
                    _link.SendAck(MessageType.Command, _decoder.Sequence, _commands.Apply(_command.Command));
                    break;
                case MessageType.Configuration:
                    _link.SendAck(MessageType.Configuration, _decoder.Sequence, AckStatus.Unsupported);
                    break;
            }
        }
    }
}
