namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// Time grid of <see cref="CartPoleRollout"/>: the model's step, the horizon in model steps, and
    /// how the action sequence is parameterized: one decision value (knot) every
    /// <see cref="StepsPerKnot"/> model steps, linearly interpolated in between. Validated by the rollout.
    /// </summary>
    public sealed class RolloutSettings
    {
        /// <summary>Control period of the loop that applies the plan, s; [0.001, 1].</summary>
        public float ControlPeriodSeconds { get; set; } = 0.02f;

        /// <summary>Step of the planner's model (semi-implicit Euler), s; [0.001, 0.2].</summary>
        public float ModelStepSeconds { get; set; } = 0.02f;

        /// <summary>Model steps per rollout; [1, 10000].</summary>
        public int HorizonSteps { get; set; } = 40;

        /// <summary>
        /// Model steps between two knots of the action sequence; [1, HorizonSteps]. 1 gives one decision
        /// per model step (held constant over it); more gives fewer decisions, linearly interpolated.
        /// </summary>
        public int StepsPerKnot { get; set; } = 1;

        /// <summary>Decision values per plan: enough knots to cover the horizon, the last at or beyond its end.</summary>
        public int KnotCount => StepsPerKnot == 1 ? HorizonSteps : (HorizonSteps + StepsPerKnot - 1) / StepsPerKnot + 1;

        /// <summary>Throws <see cref="System.ArgumentException"/> naming the first setting outside its range.</summary>
        public void Validate()
        {
            Validation.RequireInRange(ControlPeriodSeconds, 0.001f, 1f, nameof(ControlPeriodSeconds));
            Validation.RequireInRange(ModelStepSeconds, 0.001f, 0.2f, nameof(ModelStepSeconds));
            Validation.RequireInRange(HorizonSteps, 1, 10000, nameof(HorizonSteps));
            Validation.RequireInRange(StepsPerKnot, 1, HorizonSteps, nameof(StepsPerKnot));
        }
    }
}
