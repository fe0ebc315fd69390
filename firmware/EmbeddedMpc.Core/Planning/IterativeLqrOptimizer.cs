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
    /// Allocates nothing after construction.
    /// </remarks>
    public sealed class IterativeLqrOptimizer : IActionSequenceOptimizer, IAnytimePlanner
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

        /// <summary>The regularization mu the next round starts from (grows on failed rounds, shrinks on successful ones).</summary>
        public float Regularization => _regularization;

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
            CartPoleState state = start;
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
            CartPoleState state = default(CartPoleState);
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

                float qu = costByAction;
                float quu = costByActionTwice;
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

                // V_x = Q_x + K (Q_uu k + Q_u) + Q_ux k;  V_xx = Q_xx + Q_uu K K' + K Q_ux' + Q_ux K'.
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

            return true;
        }

        /// <summary>
        /// The discrete model step's Jacobians at (<paramref name="state"/>, <paramref name="action"/>):
        /// A [4 x 4] and B [4]. Semi-implicit Euler: v' = v + h a(s, u), p' = p + h v'; the drive's force
        /// F = F_stall u - k_emf xDot makes the acceleration depend on xDot and u through F.
        /// </summary>
        private void Linearize(ref CartPoleState state, float action)
        {
            float h = _rollout.ModelStepSeconds;
            float force = _rollout.DriveForce(action, state.XDot);
            _rollout.Model.AccelerationDerivatives(ref state, force, _accelerationDerivatives);
            float forceByXDot = -_rollout.BackEmfDamping;
            float forceByAction = _rollout.StallForceNewtons;

            // Rows 1 (xDot) and 3 (thetaDot): the velocity updates.
            for (int velocityRow = 1; velocityRow < StateSize; velocityRow += 2)
            {
                int d = velocityRow == 1 ? 0 : 4;
                int r = velocityRow * StateSize;
                _stateJacobian[r] = 0f;
                _stateJacobian[r + 1] = h * (_accelerationDerivatives[d] + _accelerationDerivatives[d + 3] * forceByXDot);
                _stateJacobian[r + 2] = h * _accelerationDerivatives[d + 1];
                _stateJacobian[r + 3] = h * _accelerationDerivatives[d + 2];
                _stateJacobian[r + velocityRow] += 1f;
                _inputJacobian[velocityRow] = h * _accelerationDerivatives[d + 3] * forceByAction;

                // Rows 0 (x) and 2 (theta): the position takes the new velocity.
                int positionRow = velocityRow - 1;
                int p = positionRow * StateSize;
                for (int j = 0; j < StateSize; j++)
                {
                    _stateJacobian[p + j] = h * _stateJacobian[r + j];
                }

                _stateJacobian[p + positionRow] += 1f;
                _inputJacobian[positionRow] = h * _inputJacobian[velocityRow];
            }
        }

        /// <summary>
        /// Gradient and Hessian of the stage cost (variables x, xDot, theta, thetaDot, u) or of the
        /// terminal cost (the four state variables) at the given point: the cost's own when it has
        /// them and the settings ask for them, else central differences. Writes <see cref="_costGradient"/> and <see cref="_costHessian"/>
        /// (5 x 5, row-major; the action's row and column zero for the terminal cost).
        /// </summary>
        private void ExpandCost(ref CartPoleState state, float action, bool terminal)
        {
            int count = terminal ? StateSize : StateSize + 1;
            bool exact = _exactCostDerivatives && (terminal
                ? _rollout.TerminalCostDerivatives(ref state, _costGradient, _costHessian)
                : _rollout.StageCostDerivatives(ref state, action, _costGradient, _costHessian));
            if (!exact)
            {
                DifferenceCost(ref state, action, terminal, count);
            }

            // Far from upright the cost is concave (in theta, through cos theta): negative curvature
            // would make the value's Hessian indefinite and the feedback gains destabilizing. Keep the
            // nearest positive semidefinite curvature (the gradient stays exact).
            PositiveSemidefiniteProjection.Project(_costHessian, count, StateSize + 1, _projectionScratch);
        }

        /// <summary>The cost's gradient and Hessian by central differences, for costs without exact derivatives.</summary>
        private void DifferenceCost(ref CartPoleState state, float action, bool terminal, int count)
        {
            float h = _differenceStep;
            float inverseTwoH = 0.5f / h;
            float inverseHSquared = 1f / (h * h);
            float center = CostAt(ref state, action, terminal, -1, 0f, -1, 0f);
            for (int i = 0; i < StateSize + 1; i++)
            {
                _costGradient[i] = 0f;
                for (int j = 0; j < StateSize + 1; j++)
                {
                    _costHessian[i * (StateSize + 1) + j] = 0f;
                }
            }

            for (int i = 0; i < count; i++)
            {
                _plusCosts[i] = CostAt(ref state, action, terminal, i, h, -1, 0f);
                _minusCosts[i] = CostAt(ref state, action, terminal, i, -h, -1, 0f);
                _costGradient[i] = (_plusCosts[i] - _minusCosts[i]) * inverseTwoH;
                _costHessian[i * (StateSize + 1) + i] = (_plusCosts[i] - 2f * center + _minusCosts[i]) * inverseHSquared;
            }

            float inverseFourHSquared = 0.25f * inverseHSquared;
            for (int i = 0; i < count; i++)
            {
                for (int j = i + 1; j < count; j++)
                {
                    float value = (CostAt(ref state, action, terminal, i, h, j, h)
                        - CostAt(ref state, action, terminal, i, h, j, -h)
                        - CostAt(ref state, action, terminal, i, -h, j, h)
                        + CostAt(ref state, action, terminal, i, -h, j, -h)) * inverseFourHSquared;
                    _costHessian[i * (StateSize + 1) + j] = value;
                    _costHessian[j * (StateSize + 1) + i] = value;
                }
            }
        }

        /// <summary>The stage or terminal cost with variable <paramref name="first"/> moved by <paramref name="firstDelta"/> and <paramref name="second"/> by <paramref name="secondDelta"/> (-1: none; 4: the action).</summary>
        private float CostAt(ref CartPoleState state, float action, bool terminal, int first, float firstDelta, int second, float secondDelta)
        {
            CartPoleState probe = state;
            float probeAction = action;
            Move(ref probe, ref probeAction, first, firstDelta);
            Move(ref probe, ref probeAction, second, secondDelta);
            return terminal ? _rollout.TerminalCost(ref probe) : _rollout.StageCost(ref probe, probeAction);
        }

        private static void Move(ref CartPoleState state, ref float action, int variable, float delta)
        {
            switch (variable)
            {
                case 0: state.X += delta; break;
                case 1: state.XDot += delta; break;
                case 2: state.Theta += delta; break;
                case 3: state.ThetaDot += delta; break;
                case 4: action += delta; break;
            }
        }

        private static void StoreState(ref CartPoleState state, float[] states, int offset)
        {
            states[offset] = state.X;
            states[offset + 1] = state.XDot;
            states[offset + 2] = state.Theta;
            states[offset + 3] = state.ThetaDot;
        }

        private static void LoadState(float[] states, int offset, ref CartPoleState state)
        {
            state.X = states[offset];
            state.XDot = states[offset + 1];
            state.Theta = states[offset + 2];
            state.ThetaDot = states[offset + 3];
        }
    }
}
