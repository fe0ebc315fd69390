using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// Rolls action sequences through a <see cref="CartPoleModel"/> with semi-implicit Euler and
    /// scores them with an <see cref="ICost"/>. Each action is the normalized drive command u in
    /// [-1, 1] (the effective duty, see <see cref="MotorParameters"/>) held for one action period and
    /// integrated in <c>substepsPerAction</c> equal model steps, with the drive's force
    /// <code>F = F_stall u - k_emf xDot</code>
    /// (F_stall = Kt G V / (R r), k_emf = Kt Ke G^2 / (R r^2); an ideal force source has k_emf = 0 and
    /// F_stall = the rig's force limit). The stage cost is taken once per action period, at its end,
    /// and the terminal cost after the last one.
    /// </summary>
    public sealed class CartPoleRollout : IRolloutEvaluator
    {
        private readonly CartPoleModel _model;
        private readonly ICost _cost;
        private readonly float _modelStepSeconds;
        private readonly int _substepsPerAction;
        private readonly float _stallForceNewtons;       // F_stall: drive's force at u = 1 and standstill, N
        private readonly float _backEmfDamping;          // k_emf, N·s/m; 0 for an ideal force source
        private long _modelStepCount;

        /// <param name="model">Planner's model of the rig.</param>
        /// <param name="cost">Cost to minimize.</param>
        /// <param name="actionPeriodSeconds">How long each action is held, s (the control period); [0.001, 1].</param>
        /// <param name="substepsPerAction">Model steps per action period; [1, 100].</param>
        /// <param name="drive">The drive, or null for an ideal force source of the model's MaxForceNewtons.</param>
        /// <exception cref="System.ArgumentException">A value is outside its range.</exception>
        public CartPoleRollout(CartPoleModel model, ICost cost, float actionPeriodSeconds, int substepsPerAction, MotorParameters drive)
        {
            Validation.RequireNotNull(model, nameof(model));
            Validation.RequireNotNull(cost, nameof(cost));
            Validation.RequireInRange(actionPeriodSeconds, 0.001f, 1f, nameof(actionPeriodSeconds));
            Validation.RequireInRange(substepsPerAction, 1, 100, nameof(substepsPerAction));
            _model = model;
            _cost = cost;
            _substepsPerAction = substepsPerAction;
            _modelStepSeconds = actionPeriodSeconds / substepsPerAction;
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

        /// <inheritdoc />
        public long ModelStepCount => _modelStepCount;

        /// <inheritdoc />
        public float RolloutCost(ref CartPoleState start, float[] actions, int offset, int horizon)
        {
            CartPoleState state = start;
            float total = 0f;
            for (int t = 0; t < horizon; t++)
            {
                float action = actions[offset + t];
                float driveNewtons = action * _stallForceNewtons;
                for (int s = 0; s < _substepsPerAction; s++)
                {
                    _model.StepSemiImplicitEuler(ref state, driveNewtons - _backEmfDamping * state.XDot, _modelStepSeconds);
                }

                total += _cost.StageCost(ref state, action);
            }

            _modelStepCount += horizon * _substepsPerAction;
            return total + _cost.TerminalCost(ref state);
        }
    }
}
