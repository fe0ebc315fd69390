using EmbeddedMpc.Core.Actuation;
using EmbeddedMpc.Core.Adaptation;
using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.Core.Control
{
    /// <summary>
    /// One control tick, the same on the rig, in the simulator and in HIL:
    /// <code>
    ///   sensors -> estimator -> supervisor -> planner (SwingUp/Balance) or homing loop -> safety limit
    ///   -> actuator (command to duty) -> motor -> telemetry record
    /// </code>
    /// The caller provides the hardware behind the Core's interfaces and calls <see cref="Tick"/> once
    /// per control period. Allocates nothing and throws nothing per tick.
    /// </summary>
    public sealed class ControlLoop
    {
        private readonly IRigSensors _sensors;
        private readonly IMotorDriver _motor;
        private readonly IMicrosecondClock _clock;
        private readonly IStateEstimator _estimator;
        private readonly Supervisor _supervisor;
        private readonly IPolicy _swingUpController;
        private readonly IPolicy _balanceController;
        private readonly MotorActuator _actuator;
        private readonly float _stallForceNewtons;
        private readonly float _backEmfDamping;
        private readonly long _planningBudgetMicroseconds;
        private readonly PlanningDeadline _deadline; // armed with the budget when planning starts; anytime planners stop at it

        private SensorReading _reading;

        /// <summary>The estimate of this tick, read into a field: a struct local is a heap block on nanoFramework.</summary>
        private CartPoleState _state;
        private OnlineModelAdaptation _adaptation; // null: the planner's model stays as built
        private CatchCheck _catchCheck;            // null: the supervisor hands over on angle and speed alone
        private float _lastPlannedCommand;         // the planning modes' last command, kept on a declined hand-over
        private IPolicy _activeController;
        private uint _tickIndex;
        private int _overrunStreak;

        /// <param name="sensors">Encoders, limit switches, E-stop.</param>
        /// <param name="motor">H-bridge.</param>
        /// <param name="clock">Microsecond clock for the planner's time budget.</param>
        /// <param name="estimator">Counts to state.</param>
        /// <param name="supervisor">Modes and safety; it must use <paramref name="estimator"/>.</param>
        /// <param name="swingUpController">Policy used in SwingUp (usually a receding-horizon planner).</param>
        /// <param name="balanceController">Policy used in Balance (may be the same object, or an LQR).</param>
        /// <param name="actuator">Command to duty.</param>
        /// <param name="drive">The drive, to report the force a command produces (telemetry only).</param>
        /// <param name="planningBudgetMicroseconds">Planning longer than this counts as an overrun, µs; [1, 10^7].</param>
        /// <exception cref="System.ArgumentException">An argument is null or out of range.</exception>
        public ControlLoop(IRigSensors sensors, IMotorDriver motor, IMicrosecondClock clock, IStateEstimator estimator, Supervisor supervisor,
            IPolicy swingUpController, IPolicy balanceController, MotorActuator actuator,
            MotorParameters drive, int planningBudgetMicroseconds)
        {
            Validation.RequireNotNull(sensors, nameof(sensors));
            Validation.RequireNotNull(motor, nameof(motor));
            Validation.RequireNotNull(clock, nameof(clock));
            Validation.RequireNotNull(estimator, nameof(estimator));
            Validation.RequireNotNull(supervisor, nameof(supervisor));
            Validation.RequireNotNull(swingUpController, nameof(swingUpController));
            Validation.RequireNotNull(balanceController, nameof(balanceController));
            Validation.RequireNotNull(actuator, nameof(actuator));
            Validation.RequireNotNull(drive, nameof(drive));
            drive.Validate();
            Validation.RequireInRange(planningBudgetMicroseconds, 1, 10000000, nameof(planningBudgetMicroseconds));
            _sensors = sensors;
            _motor = motor;
            _clock = clock;
            _estimator = estimator;
            _supervisor = supervisor;
            _swingUpController = swingUpController;
            _balanceController = balanceController;
            _actuator = actuator;
            _stallForceNewtons = drive.StallForcePerDutyNewtons();
            _backEmfDamping = drive.BackEmfDampingNewtonSecondsPerMeter();
            _planningBudgetMicroseconds = planningBudgetMicroseconds;
            _deadline = new PlanningDeadline(clock);
            HandDeadlineTo(swingUpController);
            HandDeadlineTo(balanceController);
        }

        /// <summary>The supervisor, for start, stop and reset commands and for the mode.</summary>
        public Supervisor Supervisor => _supervisor;

        /// <summary>The estimator, e.g. to set the origin of a rig that starts homed.</summary>
        public IStateEstimator Estimator => _estimator;

        /// <summary>
        /// Whether planners that plan anytime (<see cref="IAnytimePlanner"/>) stop at the planning budget,
        /// measured on the clock, with the best plan so far (true on the device). False (the default): they
        /// plan to their full size and a tick over the budget only counts as an overrun; the simulator runs
        /// so, since its host is hundreds of times faster than the device and its clock's stalls would make
        /// seeded runs depend on the machine's load.
        /// </summary>
        public bool StopsPlanningAtBudget { get; set; }

        /// <summary>
        /// When not null, the policy used in SwingUp and Balance instead of the swing-up and balance controllers (a rig's
        /// Command Excite runs the excitation this way, through the same supervisor, homing, limits and braking). Set
        /// between ticks; the policy taking over is reset at its first tick.
        /// </summary>
        public IPolicy PolicyOverride { get; set; }

        /// <summary>
        /// Adapts the planner's model online: after each tick's command, while the supervisor plans (SwingUp,
        /// Balance), <paramref name="adaptation"/> sees the state and the command and updates the model the
        /// next tick plans on; in other modes it pauses. Null: no adaptation. Call at start-up.
        /// </summary>
        public void UseAdaptation(OnlineModelAdaptation adaptation)
        {
            _adaptation = adaptation;
        }

        /// <summary>The online adaptation of the planner's model, or null.</summary>
        public OnlineModelAdaptation Adaptation => _adaptation;

        /// <summary>
        /// Checks each hand-over from the swing-up to the balance controller with <paramref name="catchCheck"/>
        /// (<see cref="Catalog.PlannerPolicies.CatchCheck"/>) and declines the ones predicted to fail
        /// (<see cref="Supervisor.DeclineCatch"/>); null hands over on the supervisor's angle and speed alone.
        /// </summary>
        public void UseCatchCheck(CatchCheck catchCheck)
        {
            _catchCheck = catchCheck;
        }

        /// <summary>Ticks run so far.</summary>
        public uint TickIndex => _tickIndex;

        /// <summary>Runs one control tick and describes it in <paramref name="record"/>.</summary>
        public void Tick(ref TelemetryRecord record)
        {
            _sensors.Read(ref _reading);
            bool plausible = _estimator.Update(ref _reading);
            _supervisor.Observe(ref _reading, plausible);
            _estimator.ReadState(out _state);
            ref CartPoleState state = ref _state;

            float requestedCommand = 0f;
            record.PlanCost = 0f;
            record.PlanningMicroseconds = 0;
            record.ModelSteps = 0;
            if (_supervisor.Mode == SupervisorMode.Homing)
            {
                requestedCommand = _supervisor.HomingCommand();
                _overrunStreak = 0;
            }
            else if (_supervisor.IsPlanning)
            {
                int checkSteps;
                requestedCommand = CatchDeclined(ref state, out checkSteps) ? _lastPlannedCommand : Plan(ref state, ref record);
                record.ModelSteps += checkSteps;
                _lastPlannedCommand = requestedCommand;
            }
            else
            {
                _activeController = null;
                _overrunStreak = 0;
            }

            float command = _supervisor.LimitCommand(requestedCommand);
            bool driving = _supervisor.Mode == SupervisorMode.Homing || _supervisor.IsPlanning;
            float duty = !driving ? _actuator.Off()
                : _supervisor.Mode == SupervisorMode.Homing ? _actuator.SpeedLoopDutyFor(command) : _actuator.DutyFor(command, state.XDot);
            _motor.SetDuty(duty);

            record.TickIndex = _tickIndex++;
            record.Mode = _supervisor.Mode;
            record.Fault = _supervisor.Fault;
            record.State.CopyFrom(ref state);
            record.Command = driving ? command : 0f;
            record.ForceNewtons = driving ? _stallForceNewtons * command - _backEmfDamping * state.XDot : 0f;
            record.Duty = duty;
            record.OverrunStreak = _overrunStreak;
            // The raw inputs travel too, so a host can calibrate and check the wiring (low 32 bits of the counts).
            record.CartCount = (int)_reading.CartCount;
            record.PoleCount = (int)_reading.PoleCount;
            record.Inputs = (byte)((_reading.NegativeLimitTripped ? TelemetryInputs.NegativeLimit : 0)
                | (_reading.PositiveLimitTripped ? TelemetryInputs.PositiveLimit : 0)
                | (_reading.EmergencyStopPressed ? TelemetryInputs.EmergencyStop : 0));
            Adapt(ref state, command);
        }

        // After the motor has its duty: the model changes between ticks, never during planning.
        private void Adapt(ref CartPoleState state, float command)
        {
            if (_adaptation == null)
            {
                return;
            }

            if (_supervisor.IsPlanning)
            {
                _adaptation.Observe(ref state, command);
            }
            else
            {
                _adaptation.Pause();
            }
        }

        // On the tick the supervisor hands the swing-up over to Balance, the catch check decides: true when it
        // declined the hand-over. That tick then keeps the last tick's command instead of planning as well, so it
        // costs the check's model steps (checkSteps) and no more; the supervisor makes no other hand-over for the check's
        // retry ticks or until the pole has left the entry angle and speed.
        private bool CatchDeclined(ref CartPoleState state, out int checkSteps)
        {
            checkSteps = 0;
            if (_catchCheck == null || PolicyOverride != null || _supervisor.Mode != SupervisorMode.Balance || _activeController != _swingUpController)
            {
                return false;
            }

            bool holds = _catchCheck.CatchHolds(ref state);
            checkSteps = _catchCheck.LastModelSteps;
            if (holds)
            {
                return false;
            }

            _supervisor.DeclineCatch(_catchCheck.RetryTicks);
            return true;
        }

        private float Plan(ref CartPoleState state, ref TelemetryRecord record)
        {
            IPolicy controller = PolicyOverride;
            if (controller == null)
            {
                controller = _supervisor.Mode == SupervisorMode.Balance ? _balanceController : _swingUpController;
            }

            if (controller != _activeController)
            {
                // A planner taking over starts from a fresh plan, not one left from its last turn.
                controller.Reset();
                _activeController = controller;
            }

            long start = _clock.NowMicroseconds;
            if (StopsPlanningAtBudget)
            {
                _deadline.Start(start, _planningBudgetMicroseconds);
            }
            else
            {
                _deadline.Disarm();
            }

            float action = controller.ComputeAction(ref state);
            long elapsed = _clock.NowMicroseconds - start;
            _overrunStreak = elapsed > _planningBudgetMicroseconds ? _overrunStreak + 1 : 0;
            record.PlanCost = controller.LastPlanCost;
            record.PlanningMicroseconds = (int)elapsed;
            record.ModelSteps = controller.LastModelSteps;
            _supervisor.ObservePlanner(action, _overrunStreak);
            return action;
        }

        // Policies that plan anytime stop at the loop's planning budget instead of overrunning it.
        private void HandDeadlineTo(IPolicy policy)
        {
            IAnytimePlanner anytime = policy as IAnytimePlanner;
            if (anytime != null)
            {
                anytime.UseDeadline(_deadline);
            }
        }
    }
}
