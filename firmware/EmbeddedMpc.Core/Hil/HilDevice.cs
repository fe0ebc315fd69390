using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.Core.Hil
{
    /// <summary>
    /// The device end of a hardware-in-the-loop link (PROTOCOL.md, "Connection and timing"): the Core's
    /// control loop with its sensors and motor served by the serial link. The platform passes in the
    /// bytes it receives (<see cref="Receive"/>), calls <see cref="Poll"/> often (every millisecond or
    /// so), and sends what this class hands its <see cref="ILinkTransmitter"/>:
    /// <code>
    ///   Hello           -> (any sequence number: a new connection) controller rebuilt as at power-on,
    ///                      watchdog armed, HelloAck (flags: Lockstep, TickStatistics, Telemetry)
    ///   before any Hello: Configuration, Command, SensorReadings -> Ack NotConnected, nothing else
    ///   Configuration   -> ranges and tick work checked (ConfigurationRules), applied whole in Idle,
    ///                      Ready or Fault (else WrongMode), Ack naming the field or limit refused
    ///   Command         -> Start / Stop / Reset (DeviceCommands), Ack
    ///   SensorReadings  -> new TickIndex: one control tick on that reading (feeds the watchdog);
    ///                      MotorCommand, then TickStatistics and Telemetry as the Hello asked, in one
    ///                      write; Fault when the tick entered Fault. Same TickIndex: the answer again.
    ///   Heartbeat       -> a sign of life, nothing more
    ///   Poll            -> link-loss rule (LinkWatchdog): motor off, Fault LinkLost, Fault frame;
    ///                      Heartbeat after 100 ms without sending
    /// </code>
    /// The host is the clock: a tick runs when, and only when, a SensorReadings frame with a new TickIndex
    /// arrives. The platform must call <see cref="Poll"/> between bounded pieces of work whatever arrives
    /// (a stream of noise must not keep it from running), and keep each tick within one control period
    /// (the Configuration's tick-work check), so that the motor stops within two periods of the last fresh
    /// reading whatever the host sends.
    /// </summary>
    /// <remarks>
    /// <para>SensorReadings: the tick's record carries the host's TickIndex, so that the host can match
    /// answers to readings. The TickIndex of the last tick handled again is the host's retry (lockstep): the
    /// answer is sent again (as new frames) without running the tick again. An older TickIndex is stale and
    /// ignored; a jump counts the readings missed, and the tick runs on the newest reading. Frames the
    /// decoder flags as duplicates are ignored (they still count as signs of life), except a Hello.</para>
    /// <para>Statistics for LoopStatistics: a tick's time runs from the start of its work to the end of
    /// its last write; in real time, a tick is due one control period (times the TickIndex step) after the
    /// previous reading arrived, which gives the jitter; readings missed are the skipped periods. The
    /// platform adds the memory figures and calls <see cref="SendLoopStatistics"/>.</para>
    /// <para>Allocates nothing after construction on the tick path, the watchdog and the answers (the
    /// controller's <see cref="IHilController.PowerOn"/> and <see cref="IHilController.Configure"/>
    /// allocate, at a Hello or a Configuration). Not thread-safe: call everything from one thread.</para>
    /// </remarks>
    public sealed partial class HilDevice
    {
        /// <summary>The Hello flags this device accepts: lockstep timing and both telemetry streams.</summary>
        public const uint SupportedFlags = HelloMessage.FlagLockstep | HelloMessage.FlagSendTickStatistics | HelloMessage.FlagSendTelemetry;

        private readonly IHilController _controller;
        private readonly HilSensors _sensors;
        private readonly HilMotorDriver _motor;
        private readonly IMicrosecondClock _clock;
        private readonly ILinkTransmitter _transmitter;
        private readonly byte _firmwareMajor;
        private readonly byte _firmwareMinor;
        private readonly ushort _firmwarePatch;
        private readonly FrameEncoder _encoder;
        private readonly FrameDecoder _decoder;
        private readonly LinkWatchdog _watchdog;
        private readonly byte[] _output; // [3 x MaxWireFrameLength]: the frames of one write (a tick's answer at most)

        private HelloMessage _hello;
        private HelloAckMessage _helloAck;
        private ConfigurationMessage _configuration;
        private CommandMessage _command;
        private AckMessage _ack;
        private HeartbeatMessage _heartbeat;
        private SensorReadingsMessage _readings;
        private MotorCommandMessage _motorCommand;
        private TickStatisticsMessage _tickStatistics;
        private TelemetryMessage _telemetry; // the loop ticks straight into _telemetry.Record
        private FaultMessage _fault;
        private LoopStatisticsMessage _loopStatistics;

        private uint _sessionFlags;
        private bool _hasTicked;
        private uint _lastTickIndex;
        private long _lastReadingArrival;
        private SupervisorMode _lastMode;

        private uint _sessions;
        private uint _ticksRun;
        private uint _repeatedReadings;
        private uint _staleReadings;
        private uint _readingGaps;
        private uint _readingsMissed;
        private uint _linkLosses;
        private uint _hostsGone;
        private uint _unexpectedFrames;
        private uint _refusedBeforeHello;
        private uint _configurationsApplied;
        private uint _configurationsRejected;
        private uint _commandsHandled;
        private uint _overruns;
        private long _windowMaxTick;
        private long _windowMaxJitter;
        private int _ticksInWindow;

        /// <param name="controller">The controller; its loop must use <paramref name="sensors"/> and <paramref name="motor"/>.</param>
        /// <param name="sensors">The sensors the loop reads; this class fills them from SensorReadings.</param>
        /// <param name="motor">The motor the loop drives; its duty goes out in each MotorCommand.</param>
        /// <param name="clock">The device's microsecond clock (arrival times, the watchdog, tick times).</param>
        /// <param name="transmitter">Where frames go.</param>
        /// <param name="firmwareMajor">Firmware version reported in HelloAck: major.</param>
        /// <param name="firmwareMinor">Minor.</param>
        /// <param name="firmwarePatch">Patch.</param>
        /// <exception cref="System.ArgumentException">An argument is null, or the controller's period is out of range.</exception>
        public HilDevice(IHilController controller, HilSensors sensors, HilMotorDriver motor, IMicrosecondClock clock, ILinkTransmitter transmitter,
            byte firmwareMajor, byte firmwareMinor, ushort firmwarePatch)
        {
            Validation.RequireNotNull(controller, nameof(controller));
            Validation.RequireNotNull(sensors, nameof(sensors));
            Validation.RequireNotNull(motor, nameof(motor));
            Validation.RequireNotNull(clock, nameof(clock));
            Validation.RequireNotNull(transmitter, nameof(transmitter));
            Validation.RequireNotNull(controller.Loop, "controller.Loop");
            _controller = controller;
            _sensors = sensors;
            _motor = motor;
            _clock = clock;
            _transmitter = transmitter;
            _firmwareMajor = firmwareMajor;
            _firmwareMinor = firmwareMinor;
            _firmwarePatch = firmwarePatch;
            _encoder = new FrameEncoder();
            _decoder = new FrameDecoder();
            _watchdog = new LinkWatchdog(controller.ControlPeriodMicroseconds);
            _output = new byte[3 * FrameLayout.MaxWireFrameLength];
            _lastMode = controller.Loop.Supervisor.Mode;
            // HIL mode measures no free memory per tick and runs the model of the last Configuration, unstored.
            _telemetry.Record.FreeMemoryBytes = -1;
            _telemetry.Record.ModelSource = ModelSource.BuiltIn;
        }

        /// <summary>The control loop in use (it changes at each Hello and accepted Configuration).</summary>
        public ControlLoop Loop => _controller.Loop;

        /// <summary>The supervisor's mode now.</summary>
        public SupervisorMode Mode => _controller.Loop.Supervisor.Mode;

        /// <summary>The receiving decoder, for its link-quality counters.</summary>
        public FrameDecoder Decoder => _decoder;

        /// <summary>The link timing rules, for inspection.</summary>
        public LinkWatchdog Watchdog => _watchdog;

        /// <summary>True from the first Hello on.</summary>
        public bool SessionOpen => _watchdog.SessionOpen;

        /// <summary>The Hello flags accepted for the open connection (0 before any Hello).</summary>
        public uint SessionFlags => _sessionFlags;

        /// <summary>TickIndex of the last tick handled (0 before the first).</summary>
        public uint LastTickIndex => _lastTickIndex;

        /// <summary>Hellos answered.</summary>
        public uint Sessions => _sessions;

        /// <summary>Control ticks run.</summary>
        public uint TicksRun => _ticksRun;

        /// <summary>SensorReadings with the TickIndex of the last tick handled (answered again, not run again).</summary>
        public uint RepeatedReadings => _repeatedReadings;

        /// <summary>SensorReadings older than the last tick handled (ignored).</summary>
        public uint StaleReadings => _staleReadings;

        /// <summary>Times the TickIndex jumped by more than one.</summary>
        public uint ReadingGaps => _readingGaps;

        /// <summary>TickIndex values skipped over by those jumps: readings that never arrived.</summary>
        public uint ReadingsMissed => _readingsMissed;

        /// <summary>Times the link-loss rule stopped the motor.</summary>
        public uint LinkLosses => _linkLosses;

        /// <summary>Times the host was declared gone (motor off, 500 ms without a valid frame).</summary>
        public uint HostsGone => _hostsGone;

        /// <summary>Valid frames of a type a device does not expect (device-to-host types).</summary>
        public uint UnexpectedFrames => _unexpectedFrames;

        /// <summary>Configurations, Commands and SensorReadings refused (Ack NotConnected) because no Hello had come yet.</summary>
        public uint RefusedBeforeHello => _refusedBeforeHello;

        /// <summary>Configurations applied.</summary>
        public uint ConfigurationsApplied => _configurationsApplied;

        /// <summary>Configurations refused (InvalidValue or WrongMode).</summary>
        public uint ConfigurationsRejected => _configurationsRejected;

        /// <summary>Commands answered (whatever the status).</summary>
        public uint CommandsHandled => _commandsHandled;

        /// <summary>Ticks whose work, from its start to its last write, took longer than the control period.</summary>
        public uint Overruns => _overruns;

        /// <summary>Ticks since the last <see cref="SendLoopStatistics"/>.</summary>
        public int TicksInStatisticsWindow => _ticksInWindow;

        /// <summary>A copy of the telemetry record of the last tick (its TickIndex is the host's). For hosts and tests, not the tick path.</summary>
        public TelemetryRecord LastRecord => _telemetry.Record;

        /// <summary>
        /// Takes <paramref name="count"/> received bytes of <paramref name="buffer"/> from
        /// <paramref name="offset"/> and handles every frame they complete, in order (a SensorReadings runs
        /// its tick here). All bytes share one arrival time, read from the clock once. An invalid range is
        /// ignored.
        /// </summary>
        public void Receive(byte[] buffer, int offset, int count)
        {
            if (count <= 0)
            {
                return;
            }

            long arrival = _clock.NowMicroseconds;
            int remaining = count;
            while (remaining > 0)
            {
                int used = _decoder.Feed(buffer, offset, remaining);
                offset += used;
                remaining -= used;
                if (_decoder.HasFrame)
                {
                    HandleFrame(arrival);
                }
            }
        }

        /// <summary>
        /// Applies the link timing rules now: the link-loss rule (motor off at once, Fault LinkLost, a Fault
        /// frame), the host-gone rule, and a Heartbeat when one is due. Pass every byte received so far to
        /// <see cref="Receive"/> first.
        /// </summary>
        /// <returns>What the watchdog found (<see cref="LinkCheck.None"/> mostly).</returns>
        public LinkCheck Poll()
        {
            long now = _clock.NowMicroseconds;
            Supervisor supervisor = _controller.Loop.Supervisor;
            LinkCheck check = _watchdog.Check(now, DeviceCommands.MotorMayRun(supervisor.Mode));
            if (check == LinkCheck.LinkLost)
            {
                _motor.SetDuty(0f); // at once: the motor stops now, not at the next frame
                supervisor.EnterFault(FaultReason.LinkLost);
                _lastMode = supervisor.Mode;
                _linkLosses++;
                SendFault(_lastTickIndex, FaultReason.LinkLost);
                MotorOffInLastAnswer();
            }
            else if (check == LinkCheck.HostGone)
            {
                _hostsGone++;
            }

            if (_watchdog.HeartbeatDue(now))
            {
                _heartbeat.TimeMicroseconds = (uint)(now & 0xFFFFFFFFL);
                _heartbeat.TickIndex = _lastTickIndex;
                Transmit(_encoder.Encode(ref _heartbeat, _output, 0));
            }

            return check;
        }

        private void HandleFrame(long arrival)
        {
            _watchdog.FrameReceived(arrival);
            MessageType type = _decoder.MessageType;
            if (_decoder.IsDuplicate)
            {
                return; // PROTOCOL.md: receivers ignore frames flagged duplicate (never a Hello: it sets the reference)
            }

            if (!_watchdog.Armed && (type == MessageType.Configuration || type == MessageType.Command || type == MessageType.SensorReadings))
            {
                // No Hello yet: the link watchdog is not armed, so nothing may start the motor or run a tick.
                _refusedBeforeHello++;
                SendAck(type, _decoder.Sequence, AckStatus.NotConnected, AckDetail.None, 0);
                return;
            }

            byte[] frame = _decoder.Frame;
            switch (type)
            {
                case MessageType.Hello:
                    _hello.Read(frame, FrameLayout.PayloadOffset);
                    OnHello(arrival);
                    break;
                case MessageType.Configuration:
                    _configuration.Read(frame, FrameLayout.PayloadOffset);
                    OnConfiguration(_decoder.Sequence);
                    break;
                case MessageType.Command:
                    _command.Read(frame, FrameLayout.PayloadOffset);
                    OnCommand(_decoder.Sequence);
                    break;
                case MessageType.SensorReadings:
                    _readings.Read(frame, FrameLayout.PayloadOffset);
                    OnSensorReadings(arrival);
                    break;
                case MessageType.Heartbeat:
                    break; // a sign of life, nothing more
                default:
                    _unexpectedFrames++;
                    break;
            }
        }

        // A new connection: a new simulated rig behind the link, as at power-on.
        private void OnHello(long arrival)
        {
            _motor.SetDuty(0f);
            _sessionFlags = _hello.Flags & SupportedFlags; // first: the controller may build for the session's mode
            _controller.PowerOn();
            _sessions++;
            _hasTicked = false;
            _lastMode = _controller.Loop.Supervisor.Mode;
            _watchdog.ControlPeriodMicroseconds = _controller.ControlPeriodMicroseconds;
            _watchdog.OpenSession((_sessionFlags & HelloMessage.FlagLockstep) != 0, arrival);

            _helloAck.ProtocolVersion = FrameLayout.ProtocolVersion;
            _helloAck.FirmwareMajor = _firmwareMajor;
            _helloAck.FirmwareMinor = _firmwareMinor;
            _helloAck.FirmwarePatch = _firmwarePatch;
            _helloAck.ControlPeriodMicroseconds = _controller.ControlPeriodMicroseconds;
            _helloAck.Flags = _sessionFlags;
            _helloAck.ModelId = _telemetry.Record.ModelId;
            _helloAck.ModelSource = _telemetry.Record.ModelSource;
            Transmit(_encoder.Encode(ref _helloAck, _output, 0));
        }

        private void OnConfiguration(ushort sequence)
        {
            AckStatus status;
            AckDetail detail = AckDetail.None;
            uint limit = 0;
            SupervisorMode mode = _controller.Loop.Supervisor.Mode;
            if (mode != SupervisorMode.Idle && mode != SupervisorMode.Ready && mode != SupervisorMode.Fault)
            {
                status = AckStatus.WrongMode;
            }
            else
            {
                status = _controller.Configure(ref _configuration, out detail, out limit);
            }

            if (status == AckStatus.Accepted)
            {
                _motor.SetDuty(0f);
                _hasTicked = false;
                _lastMode = _controller.Loop.Supervisor.Mode;
                _watchdog.ControlPeriodMicroseconds = _controller.ControlPeriodMicroseconds;
                _configurationsApplied++;
                _telemetry.Record.ModelId = _configuration.RigModelId(); // allocates once per Configuration, as the rebuild does
                _telemetry.Record.ModelSource = ModelSource.Unsaved;
            }
            else
            {
                _configurationsRejected++;
            }

            SendAck(MessageType.Configuration, sequence, status, detail, limit);
        }

        private void OnCommand(ushort sequence)
        {
            Supervisor supervisor = _controller.Loop.Supervisor;
            AckStatus status = DeviceCommands.Apply(supervisor, _command.Command);
            if (!DeviceCommands.MotorMayRun(supervisor.Mode))
            {
                _motor.SetDuty(0f); // Stop: off now; the next tick would do it too
            }

            _lastMode = supervisor.Mode;
            _commandsHandled++;
            SendAck(MessageType.Command, sequence, status, AckDetail.None, 0);
        }
    }
}
