using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// Receding-horizon (model-predictive) controller: every tick it shifts the previous plan one
    /// control period earlier (warm start, <see cref="PlanShift"/>; what falls off the end is filled
    /// with <see cref="FillAction"/>), lets the optimizer improve it from the measured state, and
    /// returns the plan's first action.
    /// The warm-start shift lives here, not in the optimizers. Allocates nothing after construction.
    /// </summary>
    /// <remarks>
    /// Anytime: given the control loop's <see cref="PlanningDeadline"/> (<see cref="UseDeadline"/>), it hands
    /// it to an optimizer that takes one, which then stops between rollouts or iterations when the tick's
    /// planning budget runs out and leaves the best plan it has in the plan buffer: at worst the shifted
    /// plan of the last tick, never an unplanned one. Until the deadline is reached nothing changes, to the bit.
    /// </remarks>
    public sealed class RecedingHorizonController : IPolicy, IAnytimePlanner
    {
        private readonly IActionSequenceOptimizer _optimizer;
        private readonly IRolloutEvaluator _evaluator;
        private readonly float[] _plan; // [horizon], normalized actions; _plan[0] is applied now
        private float _initialAction;
        private bool _hasInitialAction;
        private readonly int _horizon;
        private readonly float _knotsPerTick;
        private bool _hasPlan;
        private PlanningDeadline _deadline; // null: the optimizer runs to its full size

        /// <param name="optimizer">Optimizer that improves the plan each tick.</param>
        /// <param name="evaluator">The evaluator the optimizer scores with (read for the model-step count).</param>
        /// <param name="knotsPerTick">How many plan entries one control period spans (1 when each entry lasts one period); (0, 1000].</param>
        /// <exception cref="System.ArgumentException">An argument is null or out of range.</exception>
        public RecedingHorizonController(IActionSequenceOptimizer optimizer, IRolloutEvaluator evaluator, float knotsPerTick)
        {
            Validation.RequireNotNull(optimizer, nameof(optimizer));
            Validation.RequireNotNull(evaluator, nameof(evaluator));
            _optimizer = optimizer;
            _evaluator = evaluator;
            Validation.RequireAbove(knotsPerTick, 0f, 1000f, nameof(knotsPerTick));
            _horizon = optimizer.Horizon;
            _knotsPerTick = knotsPerTick;
            _plan = new float[_horizon];
        }

        /// <summary>Action that fills the last step after a shift, and the whole plan after a reset (normalized; default 0).</summary>
        public float FillAction { get; set; }

        /// <summary>
        /// Action of every step of the plan a fresh controller starts from (first tick, after <see cref="Reset"/>),
        /// normalized, in the optimizer's action bounds; default: <see cref="FillAction"/>. A local optimizer (iLQR)
        /// started from rest at the hanging equilibrium with a plan of zeros sees no gradient to either side and
        /// dithers there for a few tenths of a second: a first plan that pushes breaks the symmetry.
        /// </summary>
        public float InitialAction
        {
            get { return _hasInitialAction ? _initialAction : FillAction; }
            set { _initialAction = value; _hasInitialAction = true; }
        }

        /// <summary>Number of actions in the plan.</summary>
        public int Horizon => _horizon;

        /// <summary>Cost of the current plan, as the optimizer reported it on the last tick.</summary>
        public float LastPlanCost { get; private set; }

        /// <summary>Model steps the last tick used.</summary>
        public int LastModelSteps { get; private set; }

        /// <summary>Whether the deadline stopped the optimizer on the last tick (false without a deadline).</summary>
        public bool LastStoppedAtDeadline { get; private set; }

        /// <summary>
        /// Plans within <paramref name="deadline"/> from now on, if the optimizer can stop early
        /// (<see cref="IAnytimePlanner"/>); otherwise the optimizer keeps running to its full size.
        /// </summary>
        public void UseDeadline(PlanningDeadline deadline)
        {
            _deadline = deadline;
            IAnytimePlanner anytime = _optimizer as IAnytimePlanner;
            if (anytime != null)
            {
                anytime.UseDeadline(deadline);
            }
        }

        /// <summary>
        /// How many plan entries one control period spans: the warm start shifts the plan by this much each
        /// tick, interpolating linearly between entries. With <see cref="PlannedAction"/> it tells what the
        /// controller would apply on each coming tick if nothing changed (read-only; for telemetry and replays).
        /// </summary>
        public float KnotsPerTick => _knotsPerTick;

        /// <summary>The plan's action at step <paramref name="index"/> (0 is the one being applied).</summary>
        public float PlannedAction(int index) => _plan[index];

        /// <summary>
        /// Plans from <paramref name="state"/> and returns the normalized action to apply now, in the
        /// optimizer's action bounds.
        /// </summary>
        public float ComputeAction(ref CartPoleState state)
        {
            if (_hasPlan)
            {
                ShiftPlan();
            }
            else
            {
                FillPlan();
                _hasPlan = true;
            }

            long stepsBefore = _evaluator.ModelStepCount;
            LastPlanCost = _optimizer.Optimize(ref state, _plan);
            LastModelSteps = (int)(_evaluator.ModelStepCount - stepsBefore);
            LastStoppedAtDeadline = _deadline != null && _deadline.Reached;
            return _plan[0];
        }

        /// <summary>Drops the plan and restarts the optimizer's random stream: the next tick plans from scratch.</summary>
        public void Reset()
        {
            _hasPlan = false;
            LastPlanCost = 0f;
            LastModelSteps = 0;
            LastStoppedAtDeadline = false;
            _optimizer.Reset();
        }

        private void ShiftPlan()
        {
            PlanShift.Shift(_plan, 0, _horizon, _knotsPerTick, FillAction);
        }

        private void FillPlan()
        {
            for (int t = 0; t < _horizon; t++)
            {
                _plan[t] = InitialAction;
            }
        }
    }
}
