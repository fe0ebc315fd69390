namespace EmbeddedMpc.Core.Planning
{
    /// <summary>How <see cref="MctsOptimizer"/> evaluates a new leaf beyond the tree, before the terminal cost.</summary>
    public enum MctsRolloutPolicy
    {
        /// <summary>A uniformly drawn action level, held for <see cref="MctsSettings.RolloutHoldSteps"/> model steps, then drawn again.</summary>
        RandomWithHold,

        /// <summary>The action that led into the leaf, held to the end of the rollout (deterministic, no draws).</summary>
        RepeatLeafAction,

        /// <summary>The <see cref="Control.IPolicy"/> given to the optimizer's constructor (e.g. the energy swing-up), asked every model step.</summary>
        DefaultPolicy,
    }

    /// <summary>
    /// Sizes and constants of <see cref="MctsOptimizer"/> (UCT: Monte Carlo tree search with UCB1
    /// selection over a discrete set of action levels); validated by its constructor.
    /// </summary>
    public sealed class MctsSettings
    {
        /// <summary>
        /// Number of discrete commands, evenly spaced over [ActionMin, ActionMax] (3 gives
        /// {min, centre, max}); [2, 15]. Each tree node has this many children.
        /// </summary>
        public int ActionLevels { get; set; } = 3;

        /// <summary>
        /// C of UCB1, score = q + C sqrt(ln N_parent / n_child), where q in [0, 1] is the child's
        /// return normalized among its siblings (1 for the best, 0 for the worst); [0, 100].
        /// </summary>
        public float ExplorationConstant { get; set; } = 0.7f;

        /// <summary>
        /// Model steps one tree edge lasts (an action held for one decision interval); [1, 100].
        /// The decision interval must be a whole number of control periods.
        /// </summary>
        public int StepsPerDecision { get; set; } = 2;

        /// <summary>Depth of the tree below the root, in decision intervals; [1, 64]. Also the plan's length.</summary>
        public int TreeDepth { get; set; } = 6;

        /// <summary>Model steps of the rollout from a leaf before its terminal cost is taken; [0, 10000]. 0 evaluates a leaf by its terminal cost alone.</summary>
        public int RolloutSteps { get; set; } = 8;

        /// <summary>How a rollout picks its actions.</summary>
        public MctsRolloutPolicy RolloutPolicy { get; set; } = MctsRolloutPolicy.RandomWithHold;

        /// <summary>Model steps a random rollout action is held (<see cref="MctsRolloutPolicy.RandomWithHold"/>); [1, 10000].</summary>
        public int RolloutHoldSteps { get; set; } = 2;

        /// <summary>Most search iterations per call (tick); [1, 1000000].</summary>
        public int IterationsPerTick { get; set; } = 1000;

        /// <summary>
        /// Most model steps per call (tick); [StepsPerDecision + RolloutSteps, 1000000]: an iteration
        /// (one expansion and one rollout) starts only if it fits in what is left.
        /// </summary>
        public int ModelStepBudgetPerTick { get; set; } = 300;

        /// <summary>Nodes in the pool, the root included; [ActionLevels + 1, 1000000]. Two pools of this size are allocated (re-rooting copies into the other).</summary>
        public int NodeCapacity { get; set; } = 2048;

        /// <summary>Lower action bound (normalized), the lowest level.</summary>
        public float ActionMin { get; set; } = -1f;

        /// <summary>Upper action bound (normalized), the highest level.</summary>
        public float ActionMax { get; set; } = 1f;

        /// <summary>Seed of the rollouts' random stream.</summary>
        public uint Seed { get; set; } = 1;

        /// <summary>Throws <see cref="System.ArgumentException"/> naming the first setting outside its range.</summary>
        public void Validate()
        {
            Validation.RequireInRange(ActionLevels, 2, 15, nameof(ActionLevels));
            Validation.RequireInRange(ExplorationConstant, 0f, 100f, nameof(ExplorationConstant));
            Validation.RequireInRange(StepsPerDecision, 1, 100, nameof(StepsPerDecision));
            Validation.RequireInRange(TreeDepth, 1, 64, nameof(TreeDepth));
            Validation.RequireInRange(RolloutSteps, 0, 10000, nameof(RolloutSteps));
            Validation.RequireInRange(RolloutHoldSteps, 1, 10000, nameof(RolloutHoldSteps));
            Validation.RequireInRange(IterationsPerTick, 1, 1000000, nameof(IterationsPerTick));
            Validation.RequireInRange(ModelStepBudgetPerTick, StepsPerDecision + RolloutSteps, 1000000, nameof(ModelStepBudgetPerTick));
            Validation.RequireInRange(NodeCapacity, ActionLevels + 1, 1000000, nameof(NodeCapacity));
            PlannerValidation.RequireActionBounds(ActionMin, ActionMax);
        }
    }
}
