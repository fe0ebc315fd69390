using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// Rolls action sequences through a <see cref="CartPoleModel"/> with semi-implicit Euler and
    /// scores them with an <see cref="ICost"/>. A sequence is a vector of knots (see
    /// <see cref="RolloutSettings"/>): with one step per knot each knot is held for one model step;
    /// with more, the command during model step j is the linear interpolation of the knots at the
    /// step's start. The command u in [-1, 1] is the normalized drive command (the effective duty,
    /// see <see cref="MotorParameters"/>) and the drive's force is
    /// <code>F = F_stall u - k_emf xDot</code>
    /// (F_stall = Kt G V / (R r), k_emf = Kt Ke G^2 / (R r^2); an ideal force source has k_emf = 0 and
    /// F_stall = the rig's force limit). The stage cost is taken after every model step, scaled by
    /// the model step over the control period (so its size does not depend on the grid), and the
    /// terminal cost after the last one.
    /// </summary>
    public sealed class CartPoleRollout : IRolloutEvaluator
    {
        private readonly CartPoleModel _model;
        private readonly ICost _cost;
        private readonly float _modelStepSeconds;
        private readonly int _horizonSteps;
        private readonly int _stepsPerKnot;
        private readonly int _knotCount;
        private readonly float _stageWeight;             // model step / control period
        private readonly float _stallForceNewtons;       // F_stall: drive's force at u = 1 and standstill, N
        private readonly float _backEmfDamping;          // k_emf, N·s/m; 0 for an ideal force source
        private long _modelStepCount;

        /// <param name="model">Planner's model of the rig.</param>
        /// <param name="cost">Cost to minimize.</param>
        /// <param name="settings">Time grid and action parameterization.</param>
        /// <param name="drive">The drive, or null for an ideal force source of the model's MaxForceNewtons.</param>
        /// <exception cref="System.ArgumentException">A value is outside its range.</exception>
        public CartPoleRollout(CartPoleModel model, ICost cost, RolloutSettings settings, MotorParameters drive)
        {
            Validation.RequireNotNull(model, nameof(model));
            Validation.RequireNotNull(cost, nameof(cost));
            Validation.RequireNotNull(settings, nameof(settings));
            settings.Validate();
            _model = model;
            _cost = cost;
            _modelStepSeconds = settings.ModelStepSeconds;
            _horizonSteps = settings.HorizonSteps;
            _stepsPerKnot = settings.StepsPerKnot;
            _knotCount = settings.KnotCount;
            _stageWeight = settings.ModelStepSeconds / settings.ControlPeriodSeconds;
            KnotsPerControlPeriod = settings.ControlPeriodSeconds / (settings.ModelStepSeconds * settings.StepsPerKnot);
            ControlPeriodSeconds = settings.ControlPeriodSeconds;
            if (drive != null)
            {
                drive.Validate();
                _stallForceNewtons = drive.StallForcePerDutyNewtons();
                _backEmfDamping = drive.BackEmfDampingNewtonSecondsPerMeter();
            }
            else
            {
                _stallForceNewtons = model.Parameters.MaxForceNewtons;
                _backEmfDamping = 0f;
            }
        }

        /// <summary>Knots per plan: the optimizer's horizon.</summary>
        public int KnotCount => _knotCount;

        /// <summary>Model steps per rollout.</summary>
        public int HorizonSteps => _horizonSteps;

        /// <summary>How far the plan moves, in knots, in one control period (the warm-start shift).</summary>
        public float KnotsPerControlPeriod { get; }

        /// <inheritdoc />
        public long ModelStepCount => _modelStepCount;

        /// <summary>
        /// Total cost of the plan whose knots are actions[offset .. offset + horizon - 1] from
        /// <paramref name="start"/>; <paramref name="horizon"/> must be <see cref="KnotCount"/>.
        /// </summary>
        public float RolloutCost(ref CartPoleState start, float[] actions, int offset, int horizon)
        {
            CartPoleState state = start;
            float total = 0f;
            float inverseStepsPerKnot = 1f / _stepsPerKnot;
            for (int step = 0; step < _horizonSteps; step++)
            {
                int knot = step / _stepsPerKnot;
                float command = actions[offset + knot];
                if (_stepsPerKnot > 1)
                {
                    float fraction = (step - knot * _stepsPerKnot) * inverseStepsPerKnot;
                    command += fraction * (actions[offset + knot + 1] - command);
                }

                _model.StepSemiImplicitEuler(ref state, DriveForceNewtons(command, state.XDot), _modelStepSeconds);
                total += _stageWeight * _cost.StageCost(ref state, command);
            }

            _modelStepCount += _horizonSteps;
            return total + _cost.TerminalCost(ref state);
        }

        /// <summary>
        /// Advances <paramref name="state"/> by one model step under the normalized
        /// <paramref name="command"/> (through the drive, as in <see cref="RolloutCost"/>), counts the
        /// step in <see cref="ModelStepCount"/> and returns the step's weighted stage cost. For
        /// optimizers that simulate step by step (tree search) rather than whole sequences.
        /// </summary>
        public float Step(ref CartPoleState state, float command)
        {
            _model.StepSemiImplicitEuler(ref state, DriveForceNewtons(command, state.XDot), _modelStepSeconds);
            _modelStepCount++;
            return _stageWeight * _cost.StageCost(ref state, command);
        }

        /// <summary>The cost's terminal cost at <paramref name="state"/> (as added at the end of <see cref="RolloutCost"/>).</summary>
        public float TerminalCost(ref CartPoleState state) => _cost.TerminalCost(ref state);

        /// <summary>Control period of the loop that applies the plan, s.</summary>
        public float ControlPeriodSeconds { get; }

        /// <summary>Step of the model, s.</summary>
        public float ModelStepSeconds => _modelStepSeconds;

        // F = F_stall u - k_emf xDot: the drive's force for a normalized command at a cart velocity.
        private float DriveForceNewtons(float command, float cartVelocityMetersPerSecond) =>
            command * _stallForceNewtons - _backEmfDamping * cartVelocityMetersPerSecond;
    }
}
