using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.Firmware.Telemetry
{
    /// <summary>
    /// The rig's host link on COM2 (<see cref="HostLinkPort"/>), framed with the Core's serial
    /// protocol (firmware/EmbeddedMpc.Core/PROTOCOL.md): per tick a Telemetry frame (61 bytes on the
    /// wire) and, if the session asked for it, a TickStatistics frame (27 bytes); a Fault frame once
    /// per entry into Fault; a Heartbeat after 100 ms without any other frame; Ack and HelloAck answers;
    /// a LoopStatistics frame every statistics period.
    /// Before any Hello the device streams Telemetry, so a plain logger can listen; a Hello replaces the
    /// streams with those it asks for. Every frame is encoded into one preallocated array and written
    /// with <c>SerialPort.Write(byte[], int, int)</c>. Allocates nothing after construction.
    /// </summary>
    internal sealed class SerialTelemetry
    {
        /// <summary>Ticks without a frame after which a Heartbeat is sent (5 x 20 ms = 100 ms, PROTOCOL.md).</summary>
        public const int HeartbeatTicks = 5;

        /// <summary>The Hello flags this firmware accepts: the two telemetry streams (no lockstep: it runs the real rig).</summary>
        public const uint SupportedSessionFlags = HelloMessage.FlagSendTelemetry | HelloMessage.FlagSendTickStatistics;

        private readonly HostLinkPort _port;
        private readonly FrameEncoder _encoder;
        private readonly byte[] _frame;    // [MaxWireFrameLength]: one encoded frame on its way out
        private TelemetryMessage _telemetry;
        private TickStatisticsMessage _tickStatistics;
        private FaultMessage _fault;
        private HeartbeatMessage _heartbeat;
        private AckMessage _ack;
        private HelloAckMessage _helloAck;
        private uint _sessionFlags;
        private SupervisorMode _lastMode;
        private int _ticksSinceLastFrame;

        /// <param name="port">The host link's UART.</param>
        public SerialTelemetry(HostLinkPort port)
        {
            _port = port;
            _encoder = new FrameEncoder();
            _frame = new byte[FrameLayout.MaxWireFrameLength];
            _sessionFlags = HelloMessage.FlagSendTelemetry;
            _lastMode = SupervisorMode.Idle;
        }

        /// <summary>The streams being sent: <see cref="HelloMessage"/> Flag* bits.</summary>
        public uint SessionFlags => _sessionFlags;

        /// <summary>Opens a session with the streams in <paramref name="requestedFlags"/> that this firmware supports, and returns them.</summary>
        public uint OpenSession(uint requestedFlags)
        {
            _sessionFlags = requestedFlags & SupportedSessionFlags;
            return _sessionFlags;
        }

        /// <summary>
        /// Sends what the tick described by <paramref name="record"/> calls for: TickStatistics and
        /// Telemetry as the session asks, Fault on entering Fault, a Heartbeat when the link has been
        /// quiet for <see cref="HeartbeatTicks"/>.
        /// </summary>
        /// <param name="record">The tick's record.</param>
        /// <param name="nowMicroseconds">The device clock, µs (Heartbeat carries its low 32 bits).</param>
        public void PublishTick(ref TelemetryRecord record, long nowMicroseconds)
        {
            _ticksSinceLastFrame++;
            if ((_sessionFlags & HelloMessage.FlagSendTickStatistics) != 0)
            {
                _tickStatistics.TickIndex = record.TickIndex;
                _tickStatistics.PlanningMicroseconds = record.PlanningMicroseconds;
                _tickStatistics.ModelSteps = record.ModelSteps;
                _tickStatistics.OverrunStreak = record.OverrunStreak;
                Send(_encoder.Encode(ref _tickStatistics, _frame, 0));
            }

            if ((_sessionFlags & HelloMessage.FlagSendTelemetry) != 0)
            {
                _telemetry.Record = record;
                Send(_encoder.Encode(ref _telemetry, _frame, 0));
            }

            if (record.Mode == SupervisorMode.Fault && _lastMode != SupervisorMode.Fault)
            {
                _fault.TickIndex = record.TickIndex;
                _fault.Reason = record.Fault;
                Send(_encoder.Encode(ref _fault, _frame, 0));
            }

            _lastMode = record.Mode;
            if (_ticksSinceLastFrame >= HeartbeatTicks)
            {
                _heartbeat.TimeMicroseconds = (uint)(nowMicroseconds & 0xFFFFFFFFL);
                _heartbeat.TickIndex = record.TickIndex;
                Send(_encoder.Encode(ref _heartbeat, _frame, 0));
            }
        }

        /// <summary>Sends the loop statistics of a window (LoopStatistics frame).</summary>
        public void SendLoopStatistics(ref LoopStatisticsMessage statistics)
        {
            Send(_encoder.Encode(ref statistics, _frame, 0));
        }

        /// <summary>Answers the Configuration or Command frame <paramref name="acknowledgedSequence"/> with <paramref name="status"/>.</summary>
        public void SendAck(MessageType acknowledgedType, ushort acknowledgedSequence, AckStatus status)
        {
            _ack.AcknowledgedType = acknowledgedType;
            _ack.AcknowledgedSequence = acknowledgedSequence;
            _ack.Status = status;
            Send(_encoder.Encode(ref _ack, _frame, 0));
        }

        /// <summary>Answers a Hello: protocol and firmware versions, control period, the accepted flags.</summary>
        public void SendHelloAck(uint acceptedFlags)
        {
            _helloAck.ProtocolVersion = FrameLayout.ProtocolVersion;
            _helloAck.FirmwareMajor = FirmwareSettings.VersionMajor;
            _helloAck.FirmwareMinor = FirmwareSettings.VersionMinor;
            _helloAck.FirmwarePatch = FirmwareSettings.VersionPatch;
            _helloAck.ControlPeriodMicroseconds = FirmwareSettings.ControlPeriodMicroseconds;
            _helloAck.Flags = acceptedFlags;
            Send(_encoder.Encode(ref _helloAck, _frame, 0));
        }

        /// <summary>
        /// Copies the bytes received so far (at most <paramref name="buffer"/>.Length) into
        /// <paramref name="buffer"/> and returns how many; 0 when nothing is waiting. Never blocks.
        /// </summary>
        public int ReadReceived(byte[] buffer)
        {
            return _port.ReadReceived(buffer);
        }

        private void Send(int length)
        {
            if (length > 0)
            {
                _port.Transmit(_frame, 0, length);
                _ticksSinceLastFrame = 0;
            }
        }
    }
}
