namespace EmbeddedMpc.Core.Hil
{
    /// <summary>What <see cref="LinkWatchdog.Check"/> found.</summary>
    public enum LinkCheck : byte
    {
        /// <summary>Nothing to do.</summary>
        None = 0,

        /// <summary>The host went silent while the motor may run: stop the motor, enter Fault (LinkLost), send Fault.</summary>
        LinkLost = 1,

        /// <summary>No valid frame for <see cref="LinkWatchdog.HostTimeoutMicroseconds"/> with the motor off: the host is gone; stop sending Heartbeats.</summary>
        HostGone = 2,
    }

    /// <summary>
    /// The device's link timing rules of PROTOCOL.md ("Link loss", "Heartbeats"), as plain arithmetic on
    /// microsecond timestamps that the caller supplies (the device's clock):
    /// <code>
    ///   motor may run, real time:  no valid SensorReadings for more than 2 P      -> LinkLost (once)
    ///   motor may run, lockstep:   no valid frame at all for more than 1 s        -> LinkLost (once)
    ///   otherwise:                 no valid frame for more than 500 ms            -> HostGone (once)
    ///   connection open, host present, nothing sent for more than 100 ms         -> a Heartbeat is due
    /// </code>
    /// The link-loss rule is armed from the Hello on (<see cref="OpenSession"/>); before any Hello nothing
    /// is due. LinkLost is reported once per silence: a new SensorReadings (any valid frame, in lockstep)
    /// re-arms it. "Valid" means accepted by the frame decoder; rejected bytes are no sign of life.
    /// Allocates nothing; not thread-safe.
    /// </summary>
    /// <remarks>
    /// Call <see cref="FrameReceived"/> for every accepted frame (duplicates included: they too show that
    /// the host is alive), and <see cref="SensorReadingsReceived"/> as well for a SensorReadings frame;
    /// <see cref="FrameSent"/> after each write. Hand every byte that has arrived to the decoder before
    /// calling <see cref="Check"/>, so that frames waiting in a receive buffer are not taken for silence.
    /// </remarks>
    public sealed class LinkWatchdog
    {
        /// <summary>A side that has sent nothing for longer than this sends a Heartbeat, µs (100 ms).</summary>
        public const long HeartbeatPeriodMicroseconds = 100000;

        /// <summary>Lockstep, motor may run: no valid frame for longer than this is a lost link, µs (1 s).</summary>
        public const long LockstepTimeoutMicroseconds = 1000000;

        /// <summary>Motor off: no valid frame for longer than this means the host is gone, µs (500 ms).</summary>
        public const long HostTimeoutMicroseconds = 500000;

        /// <summary>Real time, motor may run: control periods without a valid SensorReadings that make a lost link.</summary>
        public const int RealTimeTimeoutPeriods = 2;

        private long _periodMicroseconds;
        private bool _sessionOpen;
        private bool _lockstep;
        private bool _hostPresent;
        private bool _linkLostReported;
        private long _lastFrameMicroseconds;
        private long _lastReadingsMicroseconds;
        private long _lastSentMicroseconds;

        /// <param name="controlPeriodMicroseconds">The control period P, µs; [1000, 1000000].</param>
        /// <exception cref="System.ArgumentException">The period is out of range.</exception>
        public LinkWatchdog(long controlPeriodMicroseconds)
        {
            ControlPeriodMicroseconds = controlPeriodMicroseconds;
        }

        /// <summary>The control period P, µs; [1000, 1000000]. Set it again when a Configuration changes the period.</summary>
        /// <exception cref="System.ArgumentException">Set to a value out of range.</exception>
        public long ControlPeriodMicroseconds
        {
            get => _periodMicroseconds;
            set
            {
                if (value < 1000 || value > 1000000)
                {
                    throw new System.ArgumentException("ControlPeriodMicroseconds must be in [1000, 1000000].", "value");
                }

                _periodMicroseconds = value;
            }
        }

        /// <summary>True from the first <see cref="OpenSession"/> on.</summary>
        public bool SessionOpen => _sessionOpen;

        /// <summary>True when the open connection runs in lockstep timing.</summary>
        public bool Lockstep => _lockstep;

        /// <summary>True while the host counts as present: from a valid frame until <see cref="LinkCheck.HostGone"/>.</summary>
        public bool HostPresent => _hostPresent;

        /// <summary>The silence that makes a lost link while the motor may run, µs: 2 P in real time, 1 s in lockstep.</summary>
        public long LinkTimeoutMicroseconds => _lockstep ? LockstepTimeoutMicroseconds : RealTimeTimeoutPeriods * _periodMicroseconds;

        /// <summary>
        /// A connection opens (a Hello arrived at <paramref name="nowMicroseconds"/>): the link-loss rule
        /// uses <paramref name="lockstep"/> timing from now on, and the silence counts from now.
        /// </summary>
        public void OpenSession(bool lockstep, long nowMicroseconds)
        {
            _sessionOpen = true;
            _lockstep = lockstep;
            _hostPresent = true;
            _linkLostReported = false;
            _lastFrameMicroseconds = nowMicroseconds;
            _lastReadingsMicroseconds = nowMicroseconds;
        }

        /// <summary>A valid frame (any type) arrived at <paramref name="nowMicroseconds"/>.</summary>
        public void FrameReceived(long nowMicroseconds)
        {
            _lastFrameMicroseconds = nowMicroseconds;
            _hostPresent = true;
            if (_lockstep)
            {
                _linkLostReported = false;
            }
        }

        /// <summary>A valid SensorReadings frame arrived at <paramref name="nowMicroseconds"/> (call <see cref="FrameReceived"/> too).</summary>
        public void SensorReadingsReceived(long nowMicroseconds)
        {
            _lastReadingsMicroseconds = nowMicroseconds;
            if (!_lockstep)
            {
                _linkLostReported = false;
            }
        }

        /// <summary>The device wrote a frame at <paramref name="nowMicroseconds"/>.</summary>
        public void FrameSent(long nowMicroseconds)
        {
            _lastSentMicroseconds = nowMicroseconds;
        }

        /// <summary>
        /// How long the link has been silent in the sense of the link-loss rule, µs: since the last valid
        /// SensorReadings in real time, since the last valid frame in lockstep (both counted from the Hello).
        /// </summary>
        public long SilenceMicroseconds(long nowMicroseconds)
        {
            return nowMicroseconds - (_lockstep ? _lastFrameMicroseconds : _lastReadingsMicroseconds);
        }

        /// <summary>
        /// Applies the link-loss and host-gone rules at <paramref name="nowMicroseconds"/>.
        /// <paramref name="motorMayRun"/>: the supervisor is in Homing, SwingUp or Balance.
        /// </summary>
        /// <returns>
        /// <see cref="LinkCheck.LinkLost"/> once when the silence passes <see cref="LinkTimeoutMicroseconds"/>
        /// with the motor allowed to run and a connection open; <see cref="LinkCheck.HostGone"/> once when,
        /// otherwise, no valid frame came for <see cref="HostTimeoutMicroseconds"/>; else
        /// <see cref="LinkCheck.None"/>.
        /// </returns>
        public LinkCheck Check(long nowMicroseconds, bool motorMayRun)
        {
            if (_sessionOpen && motorMayRun)
            {
                if (!_linkLostReported && SilenceMicroseconds(nowMicroseconds) > LinkTimeoutMicroseconds)
                {
                    _linkLostReported = true;
                    return LinkCheck.LinkLost;
                }

                return LinkCheck.None;
            }

            if (_hostPresent && nowMicroseconds - _lastFrameMicroseconds > HostTimeoutMicroseconds)
            {
                _hostPresent = false;
                return LinkCheck.HostGone;
            }

            return LinkCheck.None;
        }

        /// <summary>
        /// True when a Heartbeat is due at <paramref name="nowMicroseconds"/>: a connection is open, the host
        /// is present, and nothing has been sent for more than <see cref="HeartbeatPeriodMicroseconds"/>.
        /// </summary>
        public bool HeartbeatDue(long nowMicroseconds)
        {
            return _sessionOpen && _hostPresent && nowMicroseconds - _lastSentMicroseconds > HeartbeatPeriodMicroseconds;
        }
    }
}
