using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Planning
{
    // The derivatives the backward pass needs at each step: the model step's Jacobians (A, B) and the
    // cost's gradient and curvature (exact, or by central differences and projected onto the positive
    // semidefinite cone), plus the copies between states and the trajectory buffers.
    public sealed partial class IterativeLqrOptimizer
    {
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
            _probeState.CopyFrom(ref state);
            ref CartPoleState probe = ref _probeState;
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
