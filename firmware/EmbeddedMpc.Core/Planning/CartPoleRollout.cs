using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// Rolls action sequences through a <see cref="CartPoleModel"/> with semi-implicit Euler and
    /// scores them with an <see cref="ICost"/>. Each action is a normalized force in [-1, 1] held for
    /// one action period, integrated in <c>substepsPerAction</c> equal model steps; the stage cost is
    /// taken once per action period, at its end, and the terminal cost after the last one.
    /// </summary>
    public sealed class CartPoleRollout : IRolloutEvaluator
    {
        private readonly CartPoleModel _model;
        private readonly ICost _cost;
        private readonly float _maxForceNewtons;
        private readonly float _modelStepSeconds;
        private readonly int _substepsPerAction;
        private long _modelStepCount;

        /// <param name="model">Planner's model of the rig.</param>
        /// <param name="cost">Cost to minimize.</param>
        /// <param name="actionPeriodSeconds">How long each action is held, s (the control period); [0.001, 1].</param>
        /// <param name="substepsPerAction">Model steps per action period; [1, 100].</param>
        /// <exception cref="System.ArgumentException">A value is outside its range.</exception>
        public CartPoleRollout(CartPoleModel model, ICost cost, float actionPeriodSeconds, int substepsPerAction)
        {
            Validation.RequireNotNull(model, nameof(model));
            Validation.RequireNotNull(cost, nameof(cost));
            Validation.RequireInRange(actionPeriodSeconds, 0.001f, 1f, nameof(actionPeriodSeconds));
            Validation.RequireInRange(substepsPerAction, 1, 100, nameof(substepsPerAction));
            _model = model;
            _cost = cost;
            _maxForceNewtons = model.Parameters.MaxForceNewtons;
            _substepsPerAction = substepsPerAction;
            _modelStepSeconds = actionPeriodSeconds / substepsPerAction;
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
                float forceNewtons = action * _maxForceNewtons;
                for (int s = 0; s < _substepsPerAction; s++)
                {
                    _model.StepSemiImplicitEuler(ref state, forceNewtons, _modelStepSeconds);
                }

                total += _cost.StageCost(ref state, action);
            }

            _modelStepCount += horizon * _substepsPerAction;
            return total + _cost.TerminalCost(ref state);
        }
    }
}
