using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// Trajectory optimization by iterative LQR (Li and Todorov 2004; the line search and adaptive
    /// regularization after Tassa, Erez and Todorov, IROS 2012, with the regularization on the action
    /// curvature), for a single bounded action.
    /// Each round linearizes the model along the current trajectory (analytic derivatives,
    /// <see cref="CartPoleModel.AccelerationDerivatives"/>), expands the cost to second order (by
    /// central differences, so any <see cref="Costs.ICost"/> works, or exactly when the cost implements
    /// <see cref="Costs.ICostDerivatives"/> and <see cref="IterativeLqrSettings.UseExactCostDerivatives"/>
    /// is set; the curvature projected onto the positive semidefinite cone,
    /// <see cref="PositiveSemidefiniteProjection"/>), runs the Riccati-like backward pass for a
    /// feedforward step k_t and a feedback gain K_t per step, then rolls out
    /// u_t = clamp(u_t + alpha k_t + K_t (x_t - x_t_nominal)) for alpha = 1, 1/2, 1/4, ... and keeps the
    /// first trajectory that lowers the cost. Where u_t + k_t is clamped the gain is zeroed (the
    /// one-dimensional case of box-constrained DDP). It never returns a plan worse than the one it got.
    /// </summary>
    /// <remarks>
    /// The rollout's stage cost is taken on the state after each step, c(x_{t+1}, u_t), so with
    /// x_{t+1} = A dx + B du the action-value expansion is, with G = c_yy + V'_xx and g = c_y + V'_x:
    /// <code>
    ///   Q_x = A'g,   Q_u = B'g + c_u,   Q_xx = A'GA,   Q_uu = B'GB + 2 c_uy B + c_uu,   Q_ux = B'GA + c_uy A
    /// </code>
    /// Model steps per call: one rollout of the incoming plan plus one per forward pass tried
    /// (counted in the rollout's <see cref="CartPoleRollout.ModelStepCount"/>). The linearizations and
    /// cost expansions are work on top that the count does not show, and the larger part: with central
    /// differences about 50 cost evaluations per step and round (host-sim/BENCH.md: 180 µs per tick
    /// against 20 µs for a 300-step sampling planner; about half with exact cost derivatives).
    /// Allocates nothing after construction. The rounds and passes are here; the model's linearization and
    /// the cost's expansion are in IterativeLqrOptimizer.Derivatives.cs.
    /// </remarks>
    public sealed partial class IterativeLqrOptimizer : IActionSequenceOptimizer, IAnytimePlanner
    {
        private const int StateSize = 4;
        private const float MinRegularization = 1e-6f;
        private const float MaxRegularization = 1e6f;
        private const float RegularizationFactor = 4f;

        private readonly CartPoleRollout _rollout;
        private readonly int _horizon;
        private readonly int _iterations;
        private readonly int _lineSearchSteps;
        private readonly float _initialRegularization;
        private readonly float _differenceStep;
        private readonly bool _exactCostDerivatives;
        private readonly float _actionMin;
        private readonly float _actionMax;

        // Nominal trajectory and the one a forward pass tries: states [(horizon + 1) x 4], actions [horizon].
        private readonly float[] _states;
        private readonly float[] _actions;
        private readonly float[] _trialStates;
        private readonly float[] _trialActions;

        // Backward pass results: feedforward k [horizon] and feedback K [horizon x 4].
        private readonly float[] _feedforward;
        private readonly float[] _feedback;

        // Scratch of one backward-pass step.
        private readonly float[] _accelerationDerivatives = new float[8];
        private readonly float[] _stateJacobian = new float[StateSize * StateSize];   // A
        private readonly float[] _inputJacobian = new float[StateSize];               // B
        private readonly float[] _valueGradient = new float[StateSize];               // V'_x
        private readonly float[] _valueHessian = new float[StateSize * StateSize];    // V'_xx
        private readonly float[] _curvatureTimesA = new float[StateSize * StateSize]; // G A
        private readonly float[] _curvatureTimesB = new float[StateSize];             // G B
        private readonly float[] _slope = new float[StateSize];                       // g
        private readonly float[] _curvature = new float[StateSize * StateSize];       // G
        private readonly float[] _qx = new float[StateSize];
        private readonly float[] _qxx = new float[StateSize * StateSize];
        private readonly float[] _qux = new float[StateSize];
        private readonly float[] _costGradient = new float[StateSize + 1];            // c_y, then c_u
        private readonly float[] _costHessian = new float[(StateSize + 1) * (StateSize + 1)];
        private readonly float[] _plusCosts = new float[StateSize + 1];
        private readonly float[] _minusCosts = new float[StateSize + 1];
        private readonly float[] _projectionScratch = new float[(StateSize + 1) * (StateSize + 2)];

        private float _regularization;
        private PlanningDeadline _deadline; // null: run every round

        // States the passes work on, kept in fields: a struct local is a heap block on nanoFramework's interpreter.
        private CartPoleState _passState;   // the forward pass's rolled-out state; the backward pass's loaded state
        private CartPoleState _probeState;  // a state moved by a finite-difference step (CostAt)

        /// <param name="settings">Sizes; <see cref="IterativeLqrSettings.Horizon"/> must equal the rollout's knot count.</param>
        /// <param name="rollout">The model, drive and cost, with one model step per knot.</param>
        /// <exception cref="System.ArgumentException">A setting is out of range, or the rollout interpolates knots.</exception>
        public IterativeLqrOptimizer(IterativeLqrSettings settings, CartPoleRollout rollout)
        {
            Validation.RequireNotNull(settings, nameof(settings));
            Validation.RequireNotNull(rollout, nameof(rollout));
            settings.Validate();
            if (rollout.StepsPerKnot != 1)
            {
                throw new System.ArgumentException("iLQR needs one model step per knot (StepsPerKnot = 1); got " + rollout.StepsPerKnot.ToString() + ".", nameof(rollout));
            }

            if (settings.Horizon != rollout.KnotCount)
            {
                throw new System.ArgumentException("Horizon must equal the rollout's knot count " + rollout.KnotCount.ToString() + "; got " + settings.Horizon.ToString() + ".", "Horizon");
            }

            _rollout = rollout;
            _horizon = settings.Horizon;
            _iterations = settings.Iterations;
            _lineSearchSteps = settings.LineSearchSteps;
            _initialRegularization = settings.InitialRegularization;
            _differenceStep = settings.FiniteDifferenceStep;
            _exactCostDerivatives = settings.UseExactCostDerivatives;
            _actionMin = settings.ActionMin;
            _actionMax = settings.ActionMax;
            _states = new float[(_horizon + 1) * StateSize];
            _trialStates = new float[(_horizon + 1) * StateSize];
            _actions = new float[_horizon];
            _trialActions = new float[_horizon];
            _feedforward = new float[_horizon];
            _feedback = new float[_horizon * StateSize];
            _regularization = _initialRegularization;
        }

        /// <inheritdoc />
        public int Horizon => _horizon;

        /// <inheritdoc />
        public void UseDeadline(PlanningDeadline deadline) => _deadline = deadline;

        /// <inheritdoc />
        public float Optimize(ref CartPoleState start, float[] plan)
        {
            PlannerValidation.AssertPlanLength(plan, _horizon);
            for (int t = 0; t < _horizon; t++)
            {
                _actions[t] = FloatMath.Clamp(plan[t], _actionMin, _actionMax);
            }

            float cost = ForwardPass(ref start, 0f, _states, _actions);
            for (int round = 0; round < _iterations && !PlanningDeadline.StopsNow(_deadline); round++)
            {
                if (!BackwardPass())
                {
                    RaiseRegularization();
                    continue;
                }

                bool improved = false;
                float stepSize = 1f;
                for (int trial = 0; trial < _lineSearchSteps && !improved; trial++, stepSize *= 0.5f)
                {
                    float trialCost = ForwardPass(ref start, stepSize, _trialStates, _trialActions);
                    if (trialCost < cost)
                    {
                        cost = trialCost;
                        System.Array.Copy(_trialStates, _states, _states.Length);
                        System.Array.Copy(_trialActions, _actions, _horizon);
                        improved = true;
                    }
                }

                if (improved)
                {
                    _regularization = FloatMath.Max(_regularization / RegularizationFactor, MinRegularization);
                }
                else
                {
                    RaiseRegularization();
                }
            }

            System.Array.Copy(_actions, plan, _horizon);
            return cost;
        }

        /// <inheritdoc />
        public void Reset()
        {
            _regularization = _initialRegularization;
        }

        private void RaiseRegularization()
        {
            _regularization = _regularization * RegularizationFactor;
            if (_regularization > MaxRegularization)
            {
                _regularization = MaxRegularization;
            }
        }

        /// <summary>
        /// Rolls out from <paramref name="start"/> into <paramref name="states"/> and <paramref name="actions"/>:
        /// with step size 0 the nominal actions as they are, otherwise the nominal actions updated by
        /// the backward pass's step and gains. Returns the trajectory's cost.
        /// </summary>
        private float ForwardPass(ref CartPoleState start, float stepSize, float[] states, float[] actions)
        {
            _passState.CopyFrom(ref start);
            ref CartPoleState state = ref _passState;
            float total = 0f;
            for (int t = 0; t < _horizon; t++)
            {
                int row = t * StateSize;
                StoreState(ref state, states, row);
                float action = _actions[t];
                if (stepSize > 0f)
                {
                    action += stepSize * _feedforward[t]
                        + _feedback[row] * (state.X - _states[row])
                        + _feedback[row + 1] * (state.XDot - _states[row + 1])
                        + _feedback[row + 2] * (state.Theta - _states[row + 2])
                        + _feedback[row + 3] * (state.ThetaDot - _states[row + 3]);
                    action = FloatMath.Clamp(action, _actionMin, _actionMax);
                }

                actions[t] = action;
                total += _rollout.Step(ref state, action);
            }

            StoreState(ref state, states, _horizon * StateSize);
            total += _rollout.TerminalCost(ref state);
            return FloatMath.IsFinite(total) ? total : float.MaxValue;
        }

        /// <summary>
        /// The backward pass along the nominal trajectory: fills the feedforward steps and feedback gains.
        /// Returns false when the action curvature is not positive at some step (the round is skipped).
        /// </summary>
        private bool BackwardPass()
        {
            ref CartPoleState state = ref _passState;
            LoadState(_states, _horizon * StateSize, ref state);
            ExpandCost(ref state, 0f, true);
            for (int i = 0; i < StateSize; i++)
            {
                _valueGradient[i] = _costGradient[i];
                for (int j = 0; j < StateSize; j++)
                {
                    _valueHessian[i * StateSize + j] = _costHessian[i * (StateSize + 1) + j];
                }
            }

            for (int t = _horizon - 1; t >= 0; t--)
            {
                int row = t * StateSize;
                float action = _actions[t];
                LoadState(_states, row, ref state);
                Linearize(ref state, action);

                // The stage cost sits on the state after the step.
                LoadState(_states, row + StateSize, ref state);
                ExpandCost(ref state, action, false);

                float qu;
                float quu;
                ExpandActionValue(out qu, out quu);

                // Levenberg-Marquardt on the action: the step is -Q_u / (Q_uu + mu). Far from upright the
                // cost is concave in theta, so Q_uu can be small or negative; mu then grows until the step is
                // a short, trusted gradient step, and shrinks again as the rounds succeed.
                float regularizedQuu = quu + _regularization;
                if (!(regularizedQuu > 1e-6f))
                {
                    return false;
                }

                float inverseQuu = 1f / regularizedQuu;
                float step = -qu * inverseQuu;
                bool clamped = false;
                if (action + step > _actionMax)
                {
                    step = _actionMax - action;
                    clamped = true;
                }
                else if (action + step < _actionMin)
                {
                    step = _actionMin - action;
                    clamped = true;
                }

                _feedforward[t] = step;
                for (int j = 0; j < StateSize; j++)
                {
                    _feedback[row + j] = clamped ? 0f : -_qux[j] * inverseQuu;
                }

                UpdateValue(row, step, qu, quu);
            }

            return true;
        }

        /// <summary>
        /// The action-value expansion at one step from the model's Jacobians (A, B), the cost's expansion
        /// (c_y, c_yy, c_u, c_uu, c_uy) and the value after the step (V'_x, V'_xx), with G = c_yy + V'_xx and
        /// g = c_y + V'_x: Q_u and Q_uu returned, Q_x, Q_ux and Q_xx written to their buffers (see the remarks).
        /// </summary>
        private void ExpandActionValue(out float qu, out float quu)
        {
            for (int i = 0; i < StateSize; i++)
            {
                _slope[i] = _costGradient[i] + _valueGradient[i];
                for (int j = 0; j < StateSize; j++)
                {
                    _curvature[i * StateSize + j] = _costHessian[i * (StateSize + 1) + j] + _valueHessian[i * StateSize + j];
                }
            }

            float costByAction = _costGradient[StateSize];
            float costByActionTwice = _costHessian[StateSize * (StateSize + 1) + StateSize];

            // G A and G B.
            for (int i = 0; i < StateSize; i++)
            {
                float sumB = 0f;
                for (int j = 0; j < StateSize; j++)
                {
                    float sumA = 0f;
                    for (int k = 0; k < StateSize; k++)
                    {
                        sumA += _curvature[i * StateSize + k] * _stateJacobian[k * StateSize + j];
                    }

                    _curvatureTimesA[i * StateSize + j] = sumA;
                    sumB += _curvature[i * StateSize + j] * _inputJacobian[j];
                }

                _curvatureTimesB[i] = sumB;
            }

            qu = costByAction;
            quu = costByActionTwice;
            for (int i = 0; i < StateSize; i++)
            {
                float crossTerm = _costHessian[i * (StateSize + 1) + StateSize]; // c_yu
                qu += _inputJacobian[i] * _slope[i];
                quu += _inputJacobian[i] * _curvatureTimesB[i] + 2f * crossTerm * _inputJacobian[i];
            }

            for (int j = 0; j < StateSize; j++)
            {
                float qx = 0f;
                float qux = 0f;
                for (int i = 0; i < StateSize; i++)
                {
                    qx += _stateJacobian[i * StateSize + j] * _slope[i];
                    qux += _inputJacobian[i] * _curvatureTimesA[i * StateSize + j]
                        + _costHessian[i * (StateSize + 1) + StateSize] * _stateJacobian[i * StateSize + j];
                }

                _qx[j] = qx;
                _qux[j] = qux;
                for (int k = j; k < StateSize; k++)
                {
                    float qxx = 0f;
                    for (int i = 0; i < StateSize; i++)
                    {
                        qxx += _stateJacobian[i * StateSize + j] * _curvatureTimesA[i * StateSize + k];
                    }

                    _qxx[j * StateSize + k] = qxx;
                    _qxx[k * StateSize + j] = qxx;
                }
            }
        }

        /// <summary>
        /// The value before the step, from the gains just chosen at <paramref name="row"/> and the feedforward
        /// <paramref name="step"/>: V_x = Q_x + K (Q_uu k + Q_u) + Q_ux k;  V_xx = Q_xx + Q_uu K K' + K Q_ux' + Q_ux K'.
        /// </summary>
        private void UpdateValue(int row, float step, float qu, float quu)
        {
            for (int j = 0; j < StateSize; j++)
            {
                float gain = _feedback[row + j];
                _valueGradient[j] = _qx[j] + gain * (quu * step + qu) + _qux[j] * step;
            }

            for (int j = 0; j < StateSize; j++)
            {
                float gainJ = _feedback[row + j];
                for (int k = j; k < StateSize; k++)
                {
                    float gainK = _feedback[row + k];
                    float value = _qxx[j * StateSize + k] + quu * gainJ * gainK + gainJ * _qux[k] + _qux[j] * gainK;
                    _valueHessian[j * StateSize + k] = value;
                    _valueHessian[k * StateSize + j] = value;
                }
            }
        }
    }
}
