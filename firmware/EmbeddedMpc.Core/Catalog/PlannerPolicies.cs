using EmbeddedMpc.Core.Control;

namespace EmbeddedMpc.Core.Catalog
{
    /// <summary>
    /// What <see cref="ControllerFactory.BuildPlanner(PlannerDefinition, Model.RigProfile, Model.CartPoleParameters, bool, IRolloutEvaluatorSource)"/>
    /// built: the policies of the supervisor's SwingUp and Balance modes and the sizes they were built with
    /// (zeros where a policy does not sample).
    /// </summary>
    public sealed class PlannerPolicies
    {
        internal PlannerPolicies(IPolicy swingUp, IPolicy balance)
        {
            SwingUp = swingUp;
            Balance = balance;
            Particles = 1;
        }

        /// <summary>The policy of the SwingUp mode (the first policy of the task).</summary>
        public IPolicy SwingUp { get; }

        /// <summary>The policy of the Balance mode.</summary>
        public IPolicy Balance { get; }

        /// <summary>Sampled sequences per iteration.</summary>
        public int Samples { get; internal set; }

        /// <summary>Model steps per rollout.</summary>
        public int HorizonSteps { get; internal set; }

        /// <summary>Optimizer iterations per tick.</summary>
        public int Iterations { get; internal set; }

        /// <summary>Elites.</summary>
        public int Elites { get; internal set; }

        /// <summary>Knots of the plan (MCTS: the tree's depth in decisions).</summary>
        public int Knots { get; internal set; }

        /// <summary>The planner model's step, s.</summary>
        public float ModelStepSeconds { get; internal set; }

        /// <summary>The online adaptation of the planner's model (hand it to <see cref="ControlLoop.UseAdaptation"/>), or null.</summary>
        public Adaptation.OnlineModelAdaptation Adaptation { get; internal set; }

        /// <summary>The catch check on the hand-over to the balance LQR (hand it to <see cref="ControlLoop.UseCatchCheck"/>), or null.</summary>
        public CatchCheck CatchCheck { get; internal set; }

        /// <summary>Rollouts each plan is scored by (1 for a single rollout).</summary>
        public int Particles { get; internal set; }
    }
}
