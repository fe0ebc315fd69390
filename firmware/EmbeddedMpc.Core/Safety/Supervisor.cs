using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Safety
{
    /// <summary>
    /// The rig's state machine and safety layer:
    /// <code>
    ///   Idle --start--> Homing --origin found, at centre--> Ready --start (or AutoStart)--> SwingUp &lt;--> Balance
    ///   any --fault--> Fault --reset--> Idle;   Homing/Ready/SwingUp/Balance --stop--> Idle or Ready
    /// </code>
    /// Faults (motor off, reason kept until an explicit reset): E-stop, a limit switch outside
    /// homing, |x| beyond the usable track once homed, an implausible encoder jump, a non-finite state
    /// or command, a planner overrun streak, a homing timeout, a lost host link (reported by the
    /// caller), a whirl (a swing-up not caught within its time limit, or a pole speed no swing-up needs). While driving, <see cref="LimitCommand"/> brakes the cart (full reverse command) when its
    /// stopping distance at the planned deceleration would carry it past the track limit.
    /// Commands are normalized drive commands in [-1, 1]. Allocates nothing after construction.
    /// </summary>
    public sealed class Supervisor
    {
        private readonly IStateEstimator _estimator;

        /// <summary>The estimator's latest estimate, read into a field: a struct local is a heap block on nanoFramework.</summary>
        private CartPoleState _state;
        private readonly float _trackLimit;
        private readonly float _switchPosition;
        private readonly float _brakingDeceleration;
        private readonly float _brakingLimit;
        private readonly float _homingSpeed;
        private readonly float _homingGain;
        private readonly float _homingMaxCommand;
        private readonly int _homingTimeoutTicks;
        private readonly float _centreTolerance;
        private readonly float _entryAngle;
        private readonly float _entryAngularVelocity;
        private readonly float _exitAngle;
        private readonly int _maxOverrunStreak;
        private readonly bool _faultsOnOverrun;
        private readonly float _controlPeriod;
        private readonly int _swingUpTimeoutTicks;    // 0: no limit
        private readonly int _caughtTicks;
        private readonly float _maxPoleSpeed;         // 0: no limit

        private bool _originFound;   // homing has passed the -x switch and set the cart origin
        private int _homingTicks;
        private long _lastPoleCount;
        private bool _startRequested;
        private int _uncaughtTicks;  // ticks since the swing-up began or the pole was last caught
        private int _balanceTicks;   // ticks in Balance without a break
        private int _handOverWaitTicks; // after DeclineCatch: ticks without a hand-over left in this pass through the entry window

        /// <exception cref="System.ArgumentException">A setting is outside its range, or the estimator is null.</exception>
        public Supervisor(SupervisorSettings settings, IStateEstimator estimator)
        {
            Validation.RequireNotNull(settings, nameof(settings));
            Validation.RequireNotNull(estimator, nameof(estimator));
            settings.Validate();
            _estimator = estimator;
            _trackLimit = settings.TrackHalfLengthMeters;
            _switchPosition = -(settings.TrackHalfLengthMeters + settings.LimitSwitchOffsetMeters);
            _brakingDeceleration = settings.BrakingForceFraction * settings.MaxForceNewtons / settings.MovingMassKilograms;
            _brakingLimit = settings.TrackHalfLengthMeters - settings.BrakingMarginMeters;
            _homingSpeed = settings.HomingSpeedMetersPerSecond;
            _homingGain = settings.HomingGainPerMeterPerSecond;
            _homingMaxCommand = settings.HomingMaxCommand;
            _homingTimeoutTicks = (int)(settings.HomingTimeoutSeconds / settings.ControlPeriodSeconds);
            _centreTolerance = settings.HomingCentreToleranceMeters;
            _entryAngle = settings.BalanceEntryAngleRadians;
            _entryAngularVelocity = settings.BalanceEntryAngularVelocity;
            _exitAngle = settings.BalanceExitAngleRadians;
            _maxOverrunStreak = settings.MaxOverrunStreak;
            _faultsOnOverrun = settings.FaultsOnPlannerOverrun;
            _controlPeriod = settings.ControlPeriodSeconds;
            _swingUpTimeoutTicks = (int)(settings.SwingUpTimeoutSeconds / settings.ControlPeriodSeconds + 0.5f);
            _caughtTicks = (int)(settings.CaughtSeconds / settings.ControlPeriodSeconds + 0.5f);
            _maxPoleSpeed = settings.MaxPoleSpeedRadiansPerSecond;
        }

        /// <summary>Current mode.</summary>
        public SupervisorMode Mode { get; private set; }

        /// <summary>Why the rig is in Fault; None otherwise.</summary>
        public FaultReason Fault { get; private set; }

        /// <summary>True once homing has set the cart origin (or <see cref="MarkHomed"/> was called).</summary>
        public bool IsHomed { get; private set; }

        /// <summary>When true, Ready moves on to SwingUp without a further start command.</summary>
        public bool AutoStart { get; set; }

        /// <summary>
        /// When true, the swing-up time limit (<see cref="SupervisorSettings.SwingUpTimeoutSeconds"/>) does not fault: a rig's
        /// excitation shakes the hanging pole for minutes on purpose. The pole speed limit still applies.
        /// </summary>
        public bool SwingUpTimeoutSuspended { get; set; }

        /// <summary>True when the planner should run this tick.</summary>
        public bool IsPlanning => Mode == SupervisorMode.SwingUp || Mode == SupervisorMode.Balance;

        /// <summary>Hand-overs to Balance turned back by <see cref="DeclineCatch"/> since start-up.</summary>
        public int DeclinedCatches { get; private set; }

        /// <summary>
        /// Turns this tick's hand-over from SwingUp to Balance back into SwingUp: the caller predicted that the balance
        /// controller's catch from here would fail (<see cref="Control.CatchCheck"/>). The swing-up goes on, and no
        /// hand-over is made again for <paramref name="waitTicks"/> ticks or until the pole has left the entry angle and
        /// speed (its next pass by the top), whichever comes first, so a check costs at most one tick in that many.
        /// Does nothing outside Balance.
        /// </summary>
        /// <param name="waitTicks">Ticks before the next hand-over in the same pass (<see cref="Control.CatchCheckSettings.RetryTicks"/>,
        /// validated there); below 1 counts as 1. No exception: this runs on the tick path.</param>
        public void DeclineCatch(int waitTicks)
        {
            if (Mode == SupervisorMode.Balance)
            {
                Mode = SupervisorMode.SwingUp;
                DeclinedCatches++;
                _handOverWaitTicks = waitTicks > 1 ? waitTicks : 1;
            }
        }

        /// <summary>Start: Idle begins homing (or goes to Ready if already homed); Ready begins the swing-up.</summary>
        public void RequestStart()
        {
            _startRequested = true;
        }

        /// <summary>Stop: the motor goes off; a homed rig goes to Ready, otherwise Idle. Fault stays Fault.</summary>
        public void RequestStop()
        {
            _startRequested = false;
            if (Mode != SupervisorMode.Fault)
            {
                Mode = IsHomed && Mode != SupervisorMode.Homing ? SupervisorMode.Ready : SupervisorMode.Idle;
            }
        }

        /// <summary>Reset: leaves Fault for Idle (not homed: the cart may have been moved by hand).</summary>
        public void RequestReset()
        {
            if (Mode == SupervisorMode.Fault)
            {
                Mode = SupervisorMode.Idle;
                Fault = FaultReason.None;
                IsHomed = false;
                _startRequested = false;
            }
        }

        /// <summary>
        /// Declares the rig homed without driving it (the caller has already set the estimator's cart
        /// origin and pole zero, e.g. a simulation that starts from a known state): Idle goes to Ready.
        /// </summary>
        public void MarkHomed()
        {
            if (Mode == SupervisorMode.Idle)
            {
                IsHomed = true;
                Mode = SupervisorMode.Ready;
            }
        }

        /// <summary>Enters Fault with <paramref name="reason"/> unless already faulted (the first reason is kept).</summary>
        public void EnterFault(FaultReason reason)
        {
            if (Mode != SupervisorMode.Fault)
            {
                Mode = SupervisorMode.Fault;
                Fault = reason;
                _startRequested = false;
            }
        }

        /// <summary>
        /// Checks this tick's readings and estimate for faults and advances the state machine.
        /// Call once per tick after the estimator's update; <paramref name="readingPlausible"/> is its result.
        /// </summary>
        public void Observe(ref SensorReading reading, bool readingPlausible)
        {
            _lastPoleCount = reading.PoleCount;
            if (Mode == SupervisorMode.Fault)
            {
                return;
            }

            if (reading.EmergencyStopPressed)
            {
                EnterFault(FaultReason.EmergencyStop);
                return;
            }

            if (!readingPlausible)
            {
                EnterFault(FaultReason.EncoderJump);
                return;
            }

            _estimator.ReadState(out _state);
            ref CartPoleState state = ref _state;
            if (!state.IsFinite())
            {
                EnterFault(FaultReason.NonFinite);
                return;
            }

            switch (Mode)
            {
                case SupervisorMode.Idle:
                    if (_startRequested)
                    {
                        _startRequested = false;
                        if (IsHomed)
                        {
                            Mode = SupervisorMode.Ready;
                        }
                        else
                        {
                            BeginHoming();
                        }
                    }

                    break;
                case SupervisorMode.Homing:
                    ObserveHoming(ref reading, ref state);
                    break;
                default:
                    ObserveHomed(ref reading, ref state);
                    break;
            }
        }

        /// <summary>The homing speed loop's command for this tick (0 outside Homing).</summary>
        public float HomingCommand()
        {
            if (Mode != SupervisorMode.Homing)
            {
                return 0f;
            }

            _estimator.ReadState(out _state);
            ref CartPoleState state = ref _state;
            float targetSpeed = -_homingSpeed;
            if (_originFound)
            {
                // Approach the centre, slowing down within the last few centimetres.
                targetSpeed = FloatMath.Clamp(-2f * state.X, -_homingSpeed, _homingSpeed);
            }

            return FloatMath.Clamp(_homingGain * (targetSpeed - state.XDot), -_homingMaxCommand, _homingMaxCommand);
        }

        /// <summary>
        /// Checks the planner's output: a non-finite action faults the rig, and so does an overrun streak of
        /// <see cref="SupervisorSettings.MaxOverrunStreak"/> ticks unless <see cref="SupervisorSettings.FaultsOnPlannerOverrun"/> is off.
        /// </summary>
        public void ObservePlanner(float action, int overrunStreak)
        {
            if (!FloatMath.IsFinite(action))
            {
                EnterFault(FaultReason.NonFinite);
            }
            else if (_faultsOnOverrun && overrunStreak >= _maxOverrunStreak)
            {
                EnterFault(FaultReason.PlannerOverrun);
            }
        }

        /// <summary>
        /// The command actually allowed this tick: 0 unless Homing, SwingUp or Balance; otherwise
        /// <paramref name="requestedCommand"/> clamped to [-1, 1], replaced by full reverse (braking)
        /// when a homed cart moving outward could not otherwise stop inside the track.
        /// </summary>
        public float LimitCommand(float requestedCommand)
        {
            if (Mode != SupervisorMode.Homing && Mode != SupervisorMode.SwingUp && Mode != SupervisorMode.Balance)
            {
                return 0f;
            }

            if (!FloatMath.IsFinite(requestedCommand))
            {
                EnterFault(FaultReason.NonFinite);
                return 0f;
            }

            float command = FloatMath.Clamp(requestedCommand, -1f, 1f);
            if (IsHomed && NeedsBraking())
            {
                _estimator.ReadState(out _state);
                command = _state.XDot > 0f ? -1f : 1f;
            }

            return command;
        }

        /// <summary>True when the cart, moving outward, would pass the braking limit at the planned deceleration.</summary>
        public bool NeedsBraking()
        {
            _estimator.ReadState(out _state);
            ref CartPoleState state = ref _state;
            float speed = state.XDot;
            bool outward = (state.X > 0f && speed > 0f) || (state.X < 0f && speed < 0f);
            if (!outward)
            {
                return false;
            }

            // Stopping distance at constant deceleration a, v^2 / (2 a), plus one tick of travel at the
            // present speed before the brake acts (the command takes effect on the next tick at worst).
            float stoppingDistance = speed * speed / (2f * _brakingDeceleration) + FloatMath.Abs(speed) * _controlPeriod;
            return FloatMath.Abs(state.X) + stoppingDistance >= _brakingLimit;
        }

        /// <summary>
        /// In SwingUp or Balance: faults (Whirl) when the pole turns faster than any swing-up needs, or
        /// when it has not been caught (Balance held for the caught time) within the swing-up time limit.
        /// </summary>
        private void ObserveWhirl(ref CartPoleState state)
        {
            if (_maxPoleSpeed > 0f && FloatMath.Abs(state.ThetaDot) > _maxPoleSpeed)
            {
                EnterFault(FaultReason.Whirl);
                return;
            }

            if (Mode == SupervisorMode.Balance && ++_balanceTicks >= _caughtTicks)
            {
                _uncaughtTicks = 0;
                return;
            }

            if (_swingUpTimeoutTicks > 0 && !SwingUpTimeoutSuspended && ++_uncaughtTicks > _swingUpTimeoutTicks)
            {
                EnterFault(FaultReason.Whirl);
            }
        }

        private void BeginHoming()
        {
            // The rig is at rest when homing starts: the pole hangs straight down.
            _estimator.SetPoleHanging(_lastPoleCount);
            Mode = SupervisorMode.Homing;
            _originFound = false;
            _homingTicks = 0;
        }

        private void ObserveHoming(ref SensorReading reading, ref CartPoleState state)
        {
            _homingTicks++;
            if (_homingTicks > _homingTimeoutTicks)
            {
                EnterFault(FaultReason.HomingFailed);
                return;
            }

            if (!_originFound)
            {
                // Driving toward -x: the +x switch can only be tripped if the cart started on it.
                if (reading.NegativeLimitTripped)
                {
                    // The switch closed at some point during the last tick: on average half a tick of
                    // travel ago, so the cart is now that far past it.
                    _estimator.ReadState(out state);
                    float travelSinceSwitch = 0.5f * _controlPeriod * state.XDot;
                    _estimator.SetCartPosition(reading.CartCount, _switchPosition + travelSinceSwitch);
                    _originFound = true;
                }

                return;
            }

            _estimator.ReadState(out state);
            if (reading.PositiveLimitTripped || (reading.NegativeLimitTripped && state.X > _switchPosition + 0.05f))
            {
                EnterFault(FaultReason.LimitSwitch);
                return;
            }

            _estimator.ReadState(out state);
            if (FloatMath.Abs(state.X) < _centreTolerance && FloatMath.Abs(state.XDot) < 0.02f)
            {
                IsHomed = true;
                Mode = SupervisorMode.Ready;
            }
        }

        private void ObserveHomed(ref SensorReading reading, ref CartPoleState state)
        {
            if (reading.NegativeLimitTripped || reading.PositiveLimitTripped)
            {
                EnterFault(FaultReason.LimitSwitch);
                return;
            }

            if (FloatMath.Abs(state.X) > _trackLimit)
            {
                EnterFault(FaultReason.TrackMargin);
                return;
            }

            float angle = FloatMath.Abs(FloatMath.WrapToPi(state.Theta));
            switch (Mode)
            {
                case SupervisorMode.Ready:
                    if (_startRequested || AutoStart)
                    {
                        _startRequested = false;
                        Mode = SupervisorMode.SwingUp;
                        _uncaughtTicks = 0;
                    }

                    return;
                case SupervisorMode.SwingUp:
                    if (angle < _entryAngle && FloatMath.Abs(state.ThetaDot) < _entryAngularVelocity)
                    {
                        if (_handOverWaitTicks > 0)
                        {
                            _handOverWaitTicks--;
                        }
                        else
                        {
                            Mode = SupervisorMode.Balance;
                            _balanceTicks = 0;
                        }
                    }
                    else
                    {
                        _handOverWaitTicks = 0;
                    }

                    break;
                case SupervisorMode.Balance:
                    if (angle > _exitAngle)
                    {
                        Mode = SupervisorMode.SwingUp;
                    }

                    break;
                default:
                    return;
            }

            ObserveWhirl(ref state);
        }
    }
}
