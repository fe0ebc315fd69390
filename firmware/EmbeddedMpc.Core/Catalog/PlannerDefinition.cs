using EmbeddedMpc.Core.Planning;

namespace EmbeddedMpc.Core.Catalog
{
    /// <summary>
    /// One named planner configuration: the optimizer, what it plans with and its sizes, as plain
    /// settings that <see cref="ControllerFactory"/> builds a controller from. The built-in ones are in
    /// <see cref="PlannerDefinitions"/>, each defined there once; the simulator (`--planner NAME`), HIL and
    /// the firmware build from these. A caller that changes sizes (a command-line option, a HIL
    /// Configuration) changes a <see cref="Copy"/>. The ranges are those of the optimizer's settings,
    /// checked when the controller is built.
    /// </summary>
    public sealed class PlannerDefinition
    {
        /// <summary>Creates a definition with the given identity and every size at its default.</summary>
        /// <param name="name">Short lower-case name, e.g. "cem-lqr".</param>
        /// <param name="description">One line saying what the planner is.</param>
        /// <param name="kind">The optimizer or fixed policy.</param>
        /// <exception cref="System.ArgumentException"><paramref name="name"/> or <paramref name="description"/> is null.</exception>
        public PlannerDefinition(string name, string description, PlannerKind kind)
        {
            Validation.RequireNotNull(name, nameof(name));
            Validation.RequireNotNull(description, nameof(description));
            Name = name;
            Description = description;
            Kind = kind;
        }

        /// <summary>Short lower-case name.</summary>
        public string Name { get; }

        /// <summary>What the planner is, in one line (its sizes are the settings below).</summary>
        public string Description { get; }

        /// <summary>The optimizer or fixed policy of the swing-up.</summary>
        public PlannerKind Kind { get; }

        /// <summary>What the rollouts are scored by.</summary>
        public PlanningCost Cost { get; set; } = PlanningCost.Task;

        /// <summary>What balances in the supervisor's Balance mode.</summary>
        public BalancePolicy Balance { get; set; } = BalancePolicy.Planner;

        /// <summary>Sampled sequences per iteration (shooting, CEM, iCEM, MPPI, the hybrid's iCEM); 0 where nothing is sampled.</summary>
        public int Samples { get; set; }

        /// <summary>Optimizer iterations per tick (CEM, iCEM, MPPI, iLQR rounds; the hybrid's iCEM iterations).</summary>
        public int Iterations { get; set; }

        /// <summary>Elites the sampling distribution is refitted to (CEM, iCEM).</summary>
        public int Elites { get; set; }

        /// <summary>The hybrid's iLQR rounds per tick after its iCEM iterations.</summary>
        public int RefineIterations { get; set; }

        /// <summary>Model steps per rollout.</summary>
        public int HorizonSteps { get; set; }

        /// <summary>The planner model's step, s.</summary>
        public float ModelStepSeconds { get; set; }

        /// <summary>Model steps per knot of the action sequence (1: one action per model step; more: linear interpolation between knots).</summary>
        public int StepsPerKnot { get; set; } = 1;

        /// <summary>
        /// iCEM (and the hybrid's iCEM) only: whether the last iteration also scores the distribution's mean
        /// (one rollout more per tick). True by default.
        /// </summary>
        public bool AddMeanInLastIteration { get; set; } = true;

        /// <summary>
        /// iLQR kinds (ilqr, icem-ilqr) only: forward passes each iLQR round may try (step sizes 1, 1/2, ...), [1, 10];
        /// a round costs at most this many rollouts plus one. Default <see cref="IterativeLqrSettings.DefaultLineSearchSteps"/>.
        /// </summary>
        public int LineSearchSteps { get; set; } = IterativeLqrSettings.DefaultLineSearchSteps;

        /// <summary>
        /// iLQR kinds only: expand the cost with its exact derivatives (<see cref="Costs.ICostDerivatives"/>) instead
        /// of central differences. False by default.
        /// </summary>
        public bool ExactCostDerivatives { get; set; }

        /// <summary>
        /// iLQR kinds only: the normalized action, in [-1, 1], of every step of the first plan (the first tick and
        /// after a reset; see <see cref="RecedingHorizonController.InitialAction"/>). 0 by default.
        /// </summary>
        public float InitialAction { get; set; }

        /// <summary>What CEM writes back as the plan.</summary>
        public CemResult Result { get; set; } = CemResult.BestSample;

        /// <summary>Seed of the planner's random stream.</summary>
        public uint Seed { get; set; } = 1;

        /// <summary>
        /// MCTS only: the tree's shape and budget (action levels, decision length, depth, rollouts, model-step
        /// budget); its Seed is replaced by <see cref="Seed"/>. Null for the other kinds.
        /// </summary>
        public MctsSettings Tree { get; set; }

        /// <summary>
        /// Online adaptation of the planner's model (recursive least squares on the measured motion, see
        /// <see cref="Adaptation.OnlineModelAdaptation"/>), or null for a model fixed at start-up.
        /// </summary>
        public Adaptation.AdaptationSettings Adaptation { get; set; }

        /// <summary>
        /// The catch check on the hand-over to an LQR balance policy (see <see cref="Control.CatchCheck"/>), or null
        /// to hand over on the pole's angle and speed alone. Needs <see cref="Balance"/> to be an LQR.
        /// </summary>
        public Control.CatchCheckSettings CatchCheck { get; set; }

        /// <summary>An independent copy (the MCTS settings copied too), to change sizes on.</summary>
        public PlannerDefinition Copy()
        {
            return CopyAs(Name, Description);
        }

        /// <summary>An independent copy under another name and description (a variant of this planner).</summary>
        public PlannerDefinition CopyAs(string name, string description)
        {
            var copy = new PlannerDefinition(name, description, Kind)
            {
                Cost = Cost,
                Balance = Balance,
                Samples = Samples,
                Iterations = Iterations,
                Elites = Elites,
                RefineIterations = RefineIterations,
                HorizonSteps = HorizonSteps,
                ModelStepSeconds = ModelStepSeconds,
                StepsPerKnot = StepsPerKnot,
                AddMeanInLastIteration = AddMeanInLastIteration,
                LineSearchSteps = LineSearchSteps,
                ExactCostDerivatives = ExactCostDerivatives,
                InitialAction = InitialAction,
                Result = Result,
                Seed = Seed,
            };
            if (Tree != null)
            {
                copy.Tree = CopyTree(Tree);
            }

            if (Adaptation != null)
            {
                copy.Adaptation = Adaptation.Clone();
            }

            if (CatchCheck != null)
            {
                copy.CatchCheck = CatchCheck.Clone();
            }

            return copy;
        }

        /// <summary>A copy of <paramref name="tree"/>.</summary>
        internal static MctsSettings CopyTree(MctsSettings tree)
        {
            return new MctsSettings
            {
                ActionLevels = tree.ActionLevels,
                ExplorationConstant = tree.ExplorationConstant,
                StepsPerDecision = tree.StepsPerDecision,
                TreeDepth = tree.TreeDepth,
                RolloutSteps = tree.RolloutSteps,
                RolloutPolicy = tree.RolloutPolicy,
                RolloutHoldSteps = tree.RolloutHoldSteps,
                IterationsPerTick = tree.IterationsPerTick,
                ModelStepBudgetPerTick = tree.ModelStepBudgetPerTick,
                NodeCapacity = tree.NodeCapacity,
                ActionMin = tree.ActionMin,
                ActionMax = tree.ActionMax,
                Seed = tree.Seed,
            };
        }
    }
}
