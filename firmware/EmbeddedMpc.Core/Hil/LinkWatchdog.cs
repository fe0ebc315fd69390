namespace EmbeddedMpc.Core.Hil
{
    /// <summary>What <see cref="LinkWatchdog.Check"/> found.</summary>
    public enum LinkCheck : byte
    {
        /// <summary>Nothing to do.</summary>
        None = 0,

        /// <summary>No fresh SensorReadings for the link timeout while the motor may run: stop the motor, enter Fault (LinkLost), send Fault.</summary>
        LinkLost = 1,

        /// <summary>No valid frame for <see cref="LinkWatchdog.HostTimeoutMicroseconds"/> with the motor off: the host is gone; stop sending Heartbeats.</summary>
        HostGone = 2,
    }

    /// <summary>
    /// The device's link timing rules of PROTOCOL.md ("Link loss", "Heartbeats"), as plain arithmetic on
    /// microsecond timestamps that the caller supplies (the device's clock):
    /// <code>
    ///   motor may run, real time:  no fresh SensorReadings for more than 2 P      -> LinkLost (once)
    ///   motor may run, lockstep:   no fresh SensorReadings for more than 1 s      -> LinkLost (once)
    ///   otherwise:                 no valid frame for more than 500 ms            -> HostGone (once)
    ///   connection open, host present, nothing sent for more than 100 ms         -> a Heartbeat is due
    /// </code>
    /// The watchdog is armed from the Hello on (<see cref="OpenSession"/>); a device must not let the motor
    /// run before (<see cref="Armed"/>). "Fresh" means a SensorReadings with a new TickIndex, i.e. one that
    /// runs a tick: a repeated or older TickIndex, a Heartbeat, any other frame and any rejected byte leave
    /// the silence running, so a host that stalls, repeats itself or floods the line is stopped as surely
    /// as one that falls silent. LinkLost is reported once per silence; the next fresh reading re-arms it.
    /// Allocates nothing; not thread-safe.
    /// </summary>
    /// <remarks>
    /// Call <see cref="FrameReceived"/> for every accepted frame (duplicates included: they show that the
    /// host is present), <see cref="FreshReadingReceived"/> when a SensorReadings runs a tick, and
    /// <see cref="FrameSent"/> after each write. The rule is a deadline on a monotonic clock: call
    /// <see cref="Check"/> from the device loop at least every millisecond or so, between bounded pieces of
    /// work (a chunk of received bytes, one tick), never only when a frame arrives.
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

        /// <summary>True when the link-loss rule is armed (a Hello has opened a connection): the only state in which the motor may run.</summary>
        public bool Armed => _sessionOpen;

        /// <summary>True when the open connection runs in lockstep timing.</summary>
        public bool Lockstep => _lockstep;

        /// <summary>True while the host counts as present: from a valid frame until <see cref="LinkCheck.HostGone"/>.</summary>
        public bool HostPresent => _hostPresent;

        /// <summary>The time without a fresh SensorReadings that makes a lost link while the motor may run, µs: 2 P in real time, 1 s in lockstep.</summary>
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

        /// <summary>A valid frame (any type) arrived at <paramref name="nowMicroseconds"/>: the host is present (it does not feed the link-loss rule).</summary>
        public void FrameReceived(long nowMicroseconds)
        {
            _lastFrameMicroseconds = nowMicroseconds;
            _hostPresent = true;
        }

        /// <summary>
        /// A fresh SensorReadings (a new TickIndex, which runs a tick) arrived at <paramref name="nowMicroseconds"/>
        /// (call <see cref="FrameReceived"/> too): the only thing that feeds the link-loss rule.
        /// </summary>
        public void FreshReadingReceived(long nowMicroseconds)
        {
            _lastReadingsMicroseconds = nowMicroseconds;
            _linkLostReported = false;
        }

        /// <summary>The device wrote a frame at <paramref name="nowMicroseconds"/>.</summary>
        public void FrameSent(long nowMicroseconds)
        {
            _lastSentMicroseconds = nowMicroseconds;
        }

        /// <summary>
        /// How long the link has been silent in the sense of the link-loss rule, µs: since the last fresh
        /// SensorReadings (counted from the Hello before the first).
        /// </summary>
        public long SilenceMicroseconds(long nowMicroseconds)
        {
            return nowMicroseconds - _lastReadingsMicroseconds;
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
