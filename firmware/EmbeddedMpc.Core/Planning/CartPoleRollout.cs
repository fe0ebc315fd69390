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
        private readonly ICostDerivatives _costDerivatives; // null when the cost has no exact derivatives
        private readonly float _modelStepSeconds;
        private readonly int _horizonSteps;
        private readonly int _stepsPerKnot;
        private readonly int _knotCount;
        private readonly float _stageWeight;             // model step / control period
        private readonly float _stallForceNewtons;       // F_stall: drive's force at u = 1 and standstill, N
        private readonly float _backEmfDamping;          // k_emf, N·s/m; 0 for an ideal force source
        private long _modelStepCount;
        private float[] _velocityKicks;                  // process noise: [horizon x 2] velocity changes per step, or null
        private CartPoleState _rolloutState;             // the state RolloutCost steps: a field, not a local (a heap block on nanoFramework)

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
            _costDerivatives = cost as ICostDerivatives;
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
        /// Adds process noise to <see cref="RolloutCost"/>: after every model step the velocities change
        /// by the step times accelerations drawn once, here, from zero-mean Gaussians with the given
        /// standard deviations (seeded). The same draws serve every rollout (common random numbers), so
        /// the evaluator is one fixed disturbance scenario and plans compare fairly within a tick; an
        /// expected-cost planner averages over several such scenarios. <see cref="Step"/> stays noise-free.
        /// Call at construction time: it allocates.
        /// </summary>
        /// <param name="cartAccelerationStandardDeviation">m/s²; [0, 100].</param>
        /// <param name="poleAccelerationStandardDeviation">rad/s²; [0, 1000].</param>
        /// <param name="seed">Seed of the draws.</param>
        /// <exception cref="System.ArgumentException">A standard deviation is out of range.</exception>
        public void UseProcessNoise(float cartAccelerationStandardDeviation, float poleAccelerationStandardDeviation, uint seed)
        {
            Validation.RequireInRange(cartAccelerationStandardDeviation, 0f, 100f, nameof(cartAccelerationStandardDeviation));
            Validation.RequireInRange(poleAccelerationStandardDeviation, 0f, 1000f, nameof(poleAccelerationStandardDeviation));
            var random = new Math.SeededRandom(seed);
            _velocityKicks = new float[2 * _horizonSteps];
            for (int step = 0; step < _horizonSteps; step++)
            {
                _velocityKicks[2 * step] = _modelStepSeconds * cartAccelerationStandardDeviation * random.NextGaussian();
                _velocityKicks[2 * step + 1] = _modelStepSeconds * poleAccelerationStandardDeviation * random.NextGaussian();
            }
        }

        /// <summary>The planner's model.</summary>
        public CartPoleModel Model => _model;

        /// <summary>Model step, s.</summary>
        public float ModelStepSeconds => _modelStepSeconds;

        /// <summary>Model steps between two knots (1: each knot is held for one model step).</summary>
        public int StepsPerKnot => _stepsPerKnot;

        /// <summary>F_stall: the drive's force per unit command at standstill, N.</summary>
        public float StallForceNewtons => _stallForceNewtons;

        /// <summary>k_emf: the drive's back-EMF damping, N·s/m (0 for an ideal force source).</summary>
        public float BackEmfDamping => _backEmfDamping;

        /// <summary>The drive's force for normalized <paramref name="command"/> at cart speed <paramref name="xDot"/>, N.</summary>
        public float DriveForce(float command, float xDot) => command * _stallForceNewtons - _backEmfDamping * xDot;

        /// <summary>
        /// One model step with <paramref name="command"/> held over it, as inside <see cref="RolloutCost"/>:
        /// advances <paramref name="state"/> and returns the step's stage cost (scaled like there). Counts one
        /// model step. For optimizers that simulate step by step (tree search, iLQR's forward pass).
        /// </summary>
        public float Step(ref CartPoleState state, float command)
        {
            _model.StepSemiImplicitEuler(ref state, DriveForce(command, state.XDot), _modelStepSeconds);
            _modelStepCount++;
            return StageCost(ref state, command);
        }

        /// <summary>Stage cost of a step that ended in <paramref name="state"/> under <paramref name="command"/>, scaled like in <see cref="RolloutCost"/>.</summary>
        public float StageCost(ref CartPoleState state, float command) => _stageWeight * _cost.StageCost(ref state, command);

        /// <summary>
        /// Exact gradient [5] and Hessian [5 x 5] of <see cref="StageCost"/> (variables x, xDot, theta,
        /// thetaDot, u; scaled like it), when the cost has them (<see cref="ICostDerivatives"/>); else false.
        /// </summary>
        public bool StageCostDerivatives(ref CartPoleState state, float command, float[] gradient, float[] hessian)
        {
            if (_costDerivatives == null || !_costDerivatives.StageCostDerivatives(ref state, command, gradient, hessian))
            {
                return false;
            }

            for (int i = 0; i < 5; i++)
            {
                gradient[i] *= _stageWeight;
            }

            for (int i = 0; i < 25; i++)
            {
                hessian[i] *= _stageWeight;
            }

            return true;
        }

        /// <summary>Exact gradient and Hessian of <see cref="TerminalCost"/>, when the cost has them; else false.</summary>
        public bool TerminalCostDerivatives(ref CartPoleState state, float[] gradient, float[] hessian) =>
            _costDerivatives != null && _costDerivatives.TerminalCostDerivatives(ref state, gradient, hessian);

        /// <summary>Cost of ending the horizon in <paramref name="state"/>.</summary>
        public float TerminalCost(ref CartPoleState state) => _cost.TerminalCost(ref state);

        /// <summary>
        /// Total cost of the plan whose knots are actions[offset .. offset + horizon - 1] from
        /// <paramref name="start"/>; <paramref name="horizon"/> must be <see cref="KnotCount"/>.
        /// </summary>
        public float RolloutCost(ref CartPoleState start, float[] actions, int offset, int horizon)
        {
            _rolloutState.CopyFrom(ref start);
            ref CartPoleState state = ref _rolloutState;
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

                _model.StepSemiImplicitEuler(ref state, DriveForce(command, state.XDot), _modelStepSeconds);
                if (_velocityKicks != null)
                {
                    state.XDot += _velocityKicks[2 * step];
                    state.ThetaDot += _velocityKicks[2 * step + 1];
                }

                total += _stageWeight * _cost.StageCost(ref state, command);
            }

            _modelStepCount += _horizonSteps;
            return total + _cost.TerminalCost(ref state);
        }

        /// <summary>Control period of the loop that applies the plan, s.</summary>
        public float ControlPeriodSeconds { get; }
    }
}
