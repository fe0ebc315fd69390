using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Hil;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Policies;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.Core.Rig
{
    /// <summary>
    /// The device end of PROTOCOL.md in rig mode, the same on the ESP32 and in the host's virtual rig: the rig runs
    /// its own control loop on its own clock and never depends on the host; the host watches, commands and
    /// configures it.
    /// <code>
    ///   every tick      ControlLoop.Tick, then Telemetry (from start-up on, before any Hello), TickStatistics if a
    ///                   Hello asked, Fault on entering Fault, a Heartbeat after 100 ms without a frame
    ///   Hello           the streams asked for (Telemetry, TickStatistics; never Lockstep), HelloAck with the model;
    ///                   the rig's mode does not change
    ///   Command         Start, Stop, Reset (DeviceCommands), Excite(duration): home if needed, then the excitation
    ///                   policy through the same supervisor for the duration, then Stop
    ///   Configuration   in Idle, Ready or Fault: checked (ConfigurationRules, the device's period), applied (a new
    ///                   loop, Idle), stored (IModelStore); Ack WrongMode/Running while the motor may run
    /// </code>
    /// At construction the stored model is loaded and checked; a missing one gives the built-in profile
    /// (<see cref="Control.ModelSource.BuiltIn"/>), a corrupt or invalid one the built-in profile too, reported as
    /// <see cref="Control.ModelSource.BuiltInStoredCorrupt"/>. Commands and Configurations need no Hello: in rig mode
    /// the link plays no part in safety (the supervisor, the E-stop and the switches do).
    /// Allocates nothing in <see cref="Tick"/> and <see cref="Receive"/>, except when a Configuration is
    /// accepted (a new controller, as at start-up). Not thread-safe: call everything from the control thread.
    /// </summary>
    public sealed partial class RigModeDevice
    {
        /// <summary>A Heartbeat is sent after this long without any other frame, µs (PROTOCOL.md).</summary>
        public const long HeartbeatMicroseconds = 100000;

        /// <summary>The Hello flags rig mode accepts: the two streams (no lockstep: the rig keeps its own time).</summary>
        public const uint SupportedSessionFlags = HelloMessage.FlagSendTelemetry | HelloMessage.FlagSendTickStatistics;

        private readonly IRigController _controller;
        private readonly RigProfile _builtInProfile;
        private readonly IModelStore _store;
        private readonly ILinkTransmitter _transmitter;
        private readonly byte _firmwareMajor;
        private readonly byte _firmwareMinor;
        private readonly ushort _firmwarePatch;
        private readonly uint _periodMicroseconds;
        private readonly float _builtInTrackHalfLengthMeters;
        private readonly FrameEncoder _encoder;
        private readonly FrameDecoder _decoder;
        private readonly byte[] _output;       // [4 x MaxWireFrameLength]: the frames of one tick or one answer
        private readonly byte[] _storeBuffer;  // [StoredModel.Length]

        private ControlLoop _loop;
        private RigProfile _profile;
        private ExcitationPolicy _excitation;
        private RigActivity _activity;
        private int _excitationTicksLeft;
        private TelemetryMessage _telemetry;   // the loop ticks straight into _telemetry.Record
        private TickStatisticsMessage _tickStatistics;
        private FaultMessage _fault;
        private HeartbeatMessage _heartbeat;
        private AckMessage _ack;
        private HelloAckMessage _helloAck;
        private HelloMessage _hello;
        private CommandMessage _command;
        private ConfigurationMessage _configuration;
        private uint _sessionFlags;
        private SupervisorMode _lastMode;
        private long _lastFrameMicroseconds;
        private long _lastTickStart;
        private bool _hasTicked;
        private int _outputLength;

        /// <summary>Loads the stored model (or takes the built-in profile) and builds the controller for it.</summary>
        /// <param name="controller">Builds the control loop for a profile around the platform's hardware.</param>
        /// <param name="builtInProfile">The compiled-in rig; also the drive model and switch offsets of every model sent (the protocol does not carry them).</param>
        /// <param name="store">Where a model sent is kept; null: nothing is stored (every model sent is <see cref="Control.ModelSource.Unsaved"/>).</param>
        /// <param name="transmitter">Where frames go.</param>
        /// <param name="firmwareMajor">Firmware version reported in HelloAck: major.</param>
        /// <param name="firmwareMinor">Minor.</param>
        /// <param name="firmwarePatch">Patch.</param>
        /// <exception cref="System.ArgumentException">An argument is null, or the built-in profile does not build.</exception>
        public RigModeDevice(IRigController controller, RigProfile builtInProfile, IModelStore store, ILinkTransmitter transmitter,
            byte firmwareMajor, byte firmwareMinor, ushort firmwarePatch)
        {
            Validation.RequireNotNull(controller, nameof(controller));
            Validation.RequireNotNull(builtInProfile, nameof(builtInProfile));
            Validation.RequireNotNull(transmitter, nameof(transmitter));
            _controller = controller;
            _builtInProfile = builtInProfile;
            _store = store;
            _transmitter = transmitter;
            _firmwareMajor = firmwareMajor;
            _firmwareMinor = firmwareMinor;
            _firmwarePatch = firmwarePatch;
            _periodMicroseconds = (uint)Catalog.ControllerFactory.PeriodMicroseconds(builtInProfile);
            _builtInTrackHalfLengthMeters = builtInProfile.CopyParameters().TrackHalfLengthMeters;
            _encoder = new FrameEncoder();
            _decoder = new FrameDecoder();
            _output = new byte[4 * FrameLayout.MaxWireFrameLength];
            _storeBuffer = new byte[StoredModel.Length];
            _sessionFlags = HelloMessage.FlagSendTelemetry; // streamed before any Hello, so a plain logger can listen
            _telemetry.Record.FreeMemoryBytes = -1;

            LoadStoredModel();
        }

        /// <summary>The control loop in use (a new one after each accepted Configuration).</summary>
        public ControlLoop Loop => _loop;

        /// <summary>The rig profile the controller was built from.</summary>
        public RigProfile Profile => _profile;

        /// <summary>Identifier of the model in use (<see cref="ConfigurationMessage.RigModelId"/>).</summary>
        public uint ModelId => _telemetry.Record.ModelId;

        /// <summary>Where the model in use came from.</summary>
        public ModelSource ModelSource => _telemetry.Record.ModelSource;

        /// <summary>What the rig was asked to do and is still doing.</summary>
        public RigActivity Activity => _activity;

        /// <summary>The Hello flags of the streams being sent.</summary>
        public uint SessionFlags => _sessionFlags;

        /// <summary>The control period of the device, µs (a Configuration must carry this one).</summary>
        public uint ControlPeriodMicroseconds => _periodMicroseconds;

        /// <summary>A copy of the last tick's record. For hosts, the LED and tests, not the tick path (a struct copy).</summary>
        public TelemetryRecord LastRecord => _telemetry.Record;

        /// <summary>The TickIndex of the last tick run (0 before the first); no struct copy, for the tick path and the statistics.</summary>
        public uint LastTickIndex => _telemetry.Record.TickIndex;

        /// <summary>The supervisor's mode after the last tick or command.</summary>
        public SupervisorMode Mode => _loop.Supervisor.Mode;

        /// <summary>The decoder of the host link, for its link-quality counters.</summary>
        public FrameDecoder Decoder => _decoder;

        /// <summary>Configurations applied since start-up.</summary>
        public uint ConfigurationsApplied { get; private set; }

        /// <summary>Configurations refused since start-up.</summary>
        public uint ConfigurationsRejected { get; private set; }

        /// <summary>Commands answered since start-up (button presses not counted).</summary>
        public uint CommandsHandled { get; private set; }

        /// <summary>Hellos answered since start-up.</summary>
        public uint Sessions { get; private set; }

        /// <summary>
        /// Free managed heap, bytes, as the platform last measured it (once per statistics window); -1 when it cannot
        /// tell. Sent in every Telemetry until the next measurement.
        /// </summary>
        public int FreeMemoryBytes
        {
            get { return _telemetry.Record.FreeMemoryBytes; }
            set { _telemetry.Record.FreeMemoryBytes = value; }
        }

        /// <summary>
        /// Runs one control tick and sends its frames. <paramref name="startMicroseconds"/> and
        /// <paramref name="dueMicroseconds"/> (the device clock) give the measured period and jitter.
        /// </summary>
        /// <param name="startMicroseconds">When this tick started.</param>
        /// <param name="dueMicroseconds">When it was due on the grid t0 + k P.</param>
        /// <param name="buttonHeld">Whether a press of the start button was seen this tick (reported in Inputs).</param>
        public void Tick(long startMicroseconds, long dueMicroseconds, bool buttonHeld)
        {
            _loop.Tick(ref _telemetry.Record);
            if (buttonHeld)
            {
                _telemetry.Record.Inputs |= TelemetryInputs.Button;
            }

            _telemetry.Record.TickPeriodMicroseconds = _hasTicked ? ClampToInt(startMicroseconds - _lastTickStart) : 0;
            _telemetry.Record.JitterMicroseconds = ClampToInt(startMicroseconds - dueMicroseconds);
            _lastTickStart = startMicroseconds;
            _hasTicked = true;
            _telemetry.Record.Activity = _activity;
            FollowActivity(_telemetry.Record.Mode);
            PublishTick(startMicroseconds);
        }

        /// <summary>Sends the loop statistics of a window and takes its free memory for the Telemetry that follows (0: unknown).</summary>
        public void SendLoopStatistics(ref LoopStatisticsMessage statistics, long nowMicroseconds)
        {
            _telemetry.Record.FreeMemoryBytes = statistics.FreeMemoryBytes == 0 ? -1 : ClampToInt(statistics.FreeMemoryBytes);
            _outputLength = _encoder.Encode(ref statistics, _output, 0);
            Flush(nowMicroseconds);
        }

        // The excitation runs for its ticks in SwingUp/Balance (homing does not count), then the rig stops;
        // a Fault ends whatever was asked.
        private void FollowActivity(SupervisorMode mode)
        {
            if (_activity == RigActivity.None)
            {
                return;
            }

            if (mode == SupervisorMode.Fault)
            {
                EndActivity();
                return;
            }

            if (_activity == RigActivity.Excitation && (mode == SupervisorMode.SwingUp || mode == SupervisorMode.Balance))
            {
                _excitationTicksLeft--;
                if (_excitationTicksLeft <= 0)
                {
                    // Command Stop's effect (DeviceCommands), without its argument check: that loads a string, which
                    // the interpreter allocates, and this runs on the tick path.
                    _loop.Supervisor.AutoStart = false;
                    _loop.Supervisor.RequestStop();
                    EndActivity();
                }
            }
        }

        private void EndActivity()
        {
            _activity = RigActivity.None;
            _loop.PolicyOverride = null;
            _loop.Supervisor.SwingUpTimeoutSuspended = false;
        }

        private void PublishTick(long nowMicroseconds)
        {
            _outputLength = 0;
            if ((_sessionFlags & HelloMessage.FlagSendTickStatistics) != 0)
            {
                _tickStatistics.TickIndex = _telemetry.Record.TickIndex;
                _tickStatistics.PlanningMicroseconds = _telemetry.Record.PlanningMicroseconds;
                _tickStatistics.ModelSteps = _telemetry.Record.ModelSteps;
                _tickStatistics.OverrunStreak = _telemetry.Record.OverrunStreak;
                _outputLength += _encoder.Encode(ref _tickStatistics, _output, _outputLength);
            }

            if ((_sessionFlags & HelloMessage.FlagSendTelemetry) != 0)
            {
                _outputLength += _encoder.Encode(ref _telemetry, _output, _outputLength);
            }

            SupervisorMode mode = _telemetry.Record.Mode;
            if (mode == SupervisorMode.Fault && _lastMode != SupervisorMode.Fault)
            {
                _fault.TickIndex = _telemetry.Record.TickIndex;
                _fault.Reason = _telemetry.Record.Fault;
                _outputLength += _encoder.Encode(ref _fault, _output, _outputLength);
            }

            _lastMode = mode;
            if (_outputLength == 0 && nowMicroseconds - _lastFrameMicroseconds >= HeartbeatMicroseconds)
            {
                _heartbeat.TimeMicroseconds = (uint)(nowMicroseconds & 0xFFFFFFFFL);
                _heartbeat.TickIndex = _telemetry.Record.TickIndex;
                _outputLength = _encoder.Encode(ref _heartbeat, _output, 0);
            }

            Flush(nowMicroseconds);
        }

        private void Flush(long nowMicroseconds)
        {
            if (_outputLength > 0)
            {
                _transmitter.Transmit(_output, 0, _outputLength);
                _lastFrameMicroseconds = nowMicroseconds;
                _outputLength = 0;
            }
        }

        private static int ClampToInt(long value)
        {
            if (value > 2147483647L)
            {
                return 2147483647;
            }

            return value < -2147483647L ? -2147483647 : (int)value;
        }
    }
}
