using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// Monte Carlo tree search over a discrete set of commands (UCT: Kocsis and Szepesvari, ECML 2006),
    /// with tree reuse between ticks.
    /// <para>
    /// <b>Tree.</b> A node is the model's state after holding one action level for one decision
    /// interval (<see cref="MctsSettings.StepsPerDecision"/> model steps) from its parent's state; the
    /// root is the measured state at a decision boundary. An expanded node owns a block of
    /// <see cref="MctsSettings.ActionLevels"/> consecutive children, child j holding level j; a child's
    /// state is simulated when it is first selected. Each node stores its state (4 floats), its visit
    /// count, the sum of the costs-to-go sampled through it, the stage cost of the edge into it, its
    /// first child (or -1) and its level. Costs are positive and lower is better (return = -cost).
    /// </para>
    /// <para>
    /// <b>One iteration.</b> Selection from the root by UCB1 among visited children:
    /// <code>
    ///   Q_j = edgeCost_j + costSum_j / n_j                       (cost of taking level j here)
    ///   score_j = (Q_max - Q_j) / (Q_max - Q_min) + C sqrt(ln N / n_j)   (0 for the first term when all Q are equal)
    /// </code>
    /// with N the parent's visits; an unvisited child is taken first (expansion: StepsPerDecision model
    /// steps). The new node (or a node at <see cref="MctsSettings.TreeDepth"/>, or any node when the
    /// pool is full) is evaluated by a rollout of <see cref="MctsSettings.RolloutSteps"/> model steps and
    /// the cost's terminal cost (the leaf's terminal value); backpropagation adds to each node on the
    /// path its own cost-to-go (the leaf value plus the edge costs below it). Storing costs-to-go rather
    /// than costs from the root keeps the statistics valid when a node becomes the root.
    /// </para>
    /// <para>
    /// <b>Normalization.</b> Returns are normalized among siblings, by their running min and max: siblings
    /// share the state and the remaining horizon, so their Q are comparable, and the best maps to 1 and
    /// the worst to 0 whatever the cost's scale (a whole-tree min/max would squash the small
    /// differences deep in the tree under the large spread of costs-to-go near the root). C then
    /// weighs exploration against a [0, 1] exploitation term as UCB1 assumes.
    /// </para>
    /// <para>
    /// <b>Ticks and re-rooting.</b> The decision interval spans a whole number of control periods
    /// (<see cref="TicksPerDecision"/>). On a decision tick the root takes the measured state, the search
    /// runs, the most visited root child's level is committed for the interval, and the tree is
    /// re-rooted at that child: its subtree is copied breadth-first into the second pool buffer (the
    /// buffers then swap), keeping every visit count and cost sum; the rest is dropped. On the other
    /// ticks of the interval the search goes on from that child (the predicted state at the next
    /// boundary), so each decision gets TicksPerDecision ticks of budget. The kept nodes below the new
    /// root keep their model-predicted states; only the root is replaced by the measurement.
    /// </para>
    /// <para>
    /// <b>Plan.</b> The tree is the warm start: the incoming plan is ignored and overwritten with the
    /// committed level followed by the most visited path below the root (one entry per decision interval,
    /// padded with its last action), so the receding-horizon controller's shift cannot disturb it.
    /// </para>
    /// Per call: at most <see cref="MctsSettings.IterationsPerTick"/> iterations and
    /// <see cref="MctsSettings.ModelStepBudgetPerTick"/> model steps. Allocates nothing after construction.
    /// The search is here; the tree's storage (growing, re-rooting, reading the plan) in MctsOptimizer.Tree.cs.
    /// </summary>
    public sealed partial class MctsOptimizer : IActionSequenceOptimizer, IAnytimePlanner
    {
        private const float CostCap = 1e9f;         // replaces non-finite or huge sampled costs
        private readonly MctsSettings _settings;
        private readonly CartPoleRollout _rollout;
        private readonly IPolicy _defaultPolicy;
        private readonly SeededRandom _random;
        private readonly int _levels;
        private readonly int _capacity;
        private readonly int _treeDepth;
        private readonly int _stepsPerDecision;
        private readonly int _iterationCostSteps;    // StepsPerDecision + RolloutSteps: an iteration's most model steps
        private readonly float[] _levelActions;      // [levels], normalized command of each level, ascending
        private readonly int[] _path;                // [treeDepth + 1], node ids from the root of the current iteration
        private readonly int[] _copySource;          // [capacity], old id of each new id while re-rooting

        // Node pool, struct-of-arrays indexed by node id (root = 0), and the spare buffer re-rooting copies into.
        private float[] _states;                     // [capacity x 4], row-major: x, xDot, theta, thetaDot
        private int[] _visits;                       // [capacity]
        private float[] _costSums;                   // [capacity], sum of sampled costs-to-go from the node's state
        private float[] _edgeCosts;                  // [capacity], stage cost from the parent's state into the node
        private int[] _firstChildren;                // [capacity], id of the first of ActionLevels children, or -1
        private int[] _nodeLevels;                   // [capacity], level index of the edge into the node
        private float[] _spareStates;
        private int[] _spareVisits;
        private float[] _spareCostSums;
        private float[] _spareEdgeCosts;
        private int[] _spareFirstChildren;
        private int[] _spareNodeLevels;

        private int _nodeCount;                      // ids [0, _nodeCount) are in use
        private bool _hasTree;
        private int _ticksUntilDecision;             // 0: the next call is a decision boundary
        private float _committedAction;
        private float _committedCost;
        private CartPoleState _scratch;              // a field, not a local: the state being stepped
        private PlanningDeadline _deadline;          // null: iterate to the budgets of the settings

        /// <param name="settings">Sizes and constants.</param>
        /// <param name="rollout">Model, drive and cost, stepped one model step at a time (its step count is the budget's).</param>
        /// <param name="defaultPolicy">Rollout policy for <see cref="MctsRolloutPolicy.DefaultPolicy"/>; may be null otherwise.</param>
        /// <exception cref="System.ArgumentException">A setting is outside its range, the decision interval is not a whole number of control periods, or the default policy is missing.</exception>
        public MctsOptimizer(MctsSettings settings, CartPoleRollout rollout, IPolicy defaultPolicy)
        {
            Validation.RequireNotNull(settings, nameof(settings));
            Validation.RequireNotNull(rollout, nameof(rollout));
            settings.Validate();
            if (settings.RolloutPolicy == MctsRolloutPolicy.DefaultPolicy)
            {
                Validation.RequireNotNull(defaultPolicy, nameof(defaultPolicy));
            }

            float ticks = settings.StepsPerDecision * rollout.ModelStepSeconds / rollout.ControlPeriodSeconds;
            int wholeTicks = (int)(ticks + 0.5f);
            if (wholeTicks < 1 || FloatMath.Abs(ticks - wholeTicks) > 1e-3f * ticks)
            {
                throw new System.ArgumentException("StepsPerDecision x model step must be a whole number (>= 1) of control periods of " + rollout.ControlPeriodSeconds.ToString() + " s; got " + ticks.ToString() + " control periods.", nameof(settings.StepsPerDecision));
            }

            _settings = settings;
            _rollout = rollout;
            _defaultPolicy = defaultPolicy;
            _random = new SeededRandom(settings.Seed);
            _levels = settings.ActionLevels;
            _capacity = settings.NodeCapacity;
            _treeDepth = settings.TreeDepth;
            _stepsPerDecision = settings.StepsPerDecision;
            _iterationCostSteps = settings.StepsPerDecision + settings.RolloutSteps;
            TicksPerDecision = wholeTicks;
            _levelActions = new float[_levels];
            for (int j = 0; j < _levels; j++)
            {
                _levelActions[j] = settings.ActionMin + (settings.ActionMax - settings.ActionMin) * j / (_levels - 1);
            }

            _path = new int[_treeDepth + 1];
            _copySource = new int[_capacity];
            _states = new float[_capacity * 4];
            _visits = new int[_capacity];
            _costSums = new float[_capacity];
            _edgeCosts = new float[_capacity];
            _firstChildren = new int[_capacity];
            _nodeLevels = new int[_capacity];
            _spareStates = new float[_capacity * 4];
            _spareVisits = new int[_capacity];
            _spareCostSums = new float[_capacity];
            _spareEdgeCosts = new float[_capacity];
            _spareFirstChildren = new int[_capacity];
            _spareNodeLevels = new int[_capacity];
        }

        /// <summary>Plan entries: one per decision interval of the tree's depth.</summary>
        public int Horizon => _treeDepth;

        /// <inheritdoc />
        public void UseDeadline(PlanningDeadline deadline) => _deadline = deadline;

        /// <summary>Control periods per decision interval: the plan advances 1 / TicksPerDecision entries per tick.</summary>
        public int TicksPerDecision { get; }

        /// <summary>Nodes in use (root included); never more than <see cref="MctsSettings.NodeCapacity"/>.</summary>
        public int NodeCount => _nodeCount;

        /// <summary>Search iterations of the last call.</summary>
        public int LastIterations { get; private set; }

        /// <summary>Visits the committed child had when it was chosen (on the last decision tick), before re-rooting.</summary>
        public int LastChosenVisits { get; private set; }

        /// <summary>Level index committed on the last decision tick.</summary>
        public int LastChosenLevel { get; private set; }

        /// <summary>Visits of the current root (the committed child after a decision tick).</summary>
        public int RootVisits => _hasTree ? _visits[0] : 0;

        /// <summary>Visits of the root's child holding <paramref name="level"/>; 0 when the root is not expanded.</summary>
        public int RootChildVisits(int level)
        {
            if (!_hasTree || _firstChildren[0] < 0)
            {
                return 0;
            }

            return _visits[_firstChildren[0] + level];
        }

        /// <summary>
        /// Searches within the tick's budget and writes the committed command (plan[0]) and the most
        /// visited path below it into <paramref name="plan"/> (<see cref="Horizon"/> entries; its incoming
        /// contents are ignored). Returns the committed action's estimated cost (edge cost plus mean
        /// cost-to-go, as of the decision tick that chose it).
        /// </summary>
        public float Optimize(ref CartPoleState start, float[] plan)
        {
            PlannerValidation.AssertPlanLength(plan, _treeDepth);
            if (!_hasTree)
            {
                ClearTree();
            }

            if (_ticksUntilDecision == 0)
            {
                WriteState(0, ref start);
                Search();
                int chosen = MostVisitedChild(0);
                int level = _nodeLevels[chosen];
                LastChosenLevel = level;
                LastChosenVisits = _visits[chosen];
                _committedAction = _levelActions[level];
                _committedCost = MeanActionCost(chosen);
                ReRoot(chosen);
                _ticksUntilDecision = TicksPerDecision - 1;
            }
            else
            {
                Search();
                _ticksUntilDecision--;
            }

            WritePlan(plan);
            return _committedCost;
        }

        /// <summary>Drops the tree (the next call starts a new one at a decision boundary) and restarts the random stream.</summary>
        public void Reset()
        {
            _hasTree = false;
            _ticksUntilDecision = 0;
            _committedAction = 0f;
            _committedCost = 0f;
            LastIterations = 0;
            _random.Reseed(_settings.Seed);
        }

        // Iterations until the iteration or the model-step budget would be exceeded.
        private void Search()
        {
            long stepsAtStart = _rollout.ModelStepCount;
            int budget = _settings.ModelStepBudgetPerTick;
            int iterations = 0;
            while (iterations < _settings.IterationsPerTick && (int)(_rollout.ModelStepCount - stepsAtStart) + _iterationCostSteps <= budget
                && !PlanningDeadline.StopsNow(_deadline))
            {
                Iterate();
                iterations++;
            }

            LastIterations = iterations;
        }

        // One selection - expansion - rollout - backpropagation pass from the root.
        private void Iterate()
        {
            int node = 0;
            int depth = 0;
            int pathLength = 1;
            _path[0] = 0;
            float leafCost;
            while (true)
            {
                int first = _firstChildren[node];
                if (first < 0)
                {
                    if (depth >= _treeDepth || _nodeCount + _levels > _capacity)
                    {
                        leafCost = RolloutCost(node); // depth limit or full pool: evaluate again
                        break;
                    }

                    first = AllocateChildren(node);
                }

                int child = SelectChild(node, first);
                _path[pathLength++] = child;
                if (_visits[child] == 0)
                {
                    SimulateEdge(node, child);
                    leafCost = RolloutCost(child);
                    break;
                }

                node = child;
                depth++;
            }

            // Backpropagation: each node on the path gets its own cost-to-go.
            float costToGo = leafCost;
            for (int i = pathLength - 1; i >= 0; i--)
            {
                int id = _path[i];
                _visits[id]++;
                _costSums[id] += costToGo;
                costToGo = Capped(costToGo + _edgeCosts[id]);
            }
        }

        // UCB1 with sibling-normalized returns; an unvisited child first (lowest level first).
        private int SelectChild(int node, int first)
        {
            float minimum = float.PositiveInfinity;
            float maximum = float.NegativeInfinity;
            for (int j = 0; j < _levels; j++)
            {
                int id = first + j;
                if (_visits[id] == 0)
                {
                    return id;
                }

                float q = MeanActionCost(id);
                minimum = q < minimum ? q : minimum;
                maximum = q > maximum ? q : maximum;
            }

            float range = maximum - minimum;
            float inverseRange = range > 0f ? 1f / range : 0f;
            float logParentVisits = FloatMath.Log(_visits[node]);
            float exploration = _settings.ExplorationConstant;
            int best = first;
            float bestScore = float.NegativeInfinity;
            for (int j = 0; j < _levels; j++)
            {
                int id = first + j;
                float score = (maximum - MeanActionCost(id)) * inverseRange + exploration * FloatMath.Sqrt(logParentVisits / _visits[id]);
                if (score > bestScore)
                {
                    bestScore = score;
                    best = id;
                }
            }

            return best;
        }

        // The child's state: the parent's state after holding the child's level for one decision interval.
        private void SimulateEdge(int parent, int child)
        {
            ReadState(parent);
            float action = _levelActions[_nodeLevels[child]];
            float cost = 0f;
            for (int k = 0; k < _stepsPerDecision; k++)
            {
                cost += _rollout.Step(ref _scratch, action);
            }

            WriteState(child, ref _scratch);
            _edgeCosts[child] = Capped(cost);
        }

        // Rollout from the node's state with the configured policy, plus the terminal cost.
        private float RolloutCost(int node)
        {
            ReadState(node);
            float action = _levelActions[_nodeLevels[node]];
            MctsRolloutPolicy policy = _settings.RolloutPolicy;
            int hold = _settings.RolloutHoldSteps;
            int steps = _settings.RolloutSteps;
            float cost = 0f;
            for (int step = 0; step < steps; step++)
            {
                if (policy == MctsRolloutPolicy.RandomWithHold)
                {
                    if (step % hold == 0)
                    {
                        int level = (int)(_random.NextFloat() * _levels);
                        action = _levelActions[level < _levels ? level : _levels - 1];
                    }
                }
                else if (policy == MctsRolloutPolicy.DefaultPolicy)
                {
                    action = FloatMath.Clamp(_defaultPolicy.ComputeAction(ref _scratch), _settings.ActionMin, _settings.ActionMax);
                }

                cost += _rollout.Step(ref _scratch, action);
            }

            return Capped(cost + _rollout.TerminalCost(ref _scratch));
        }

        // Keeps sums finite: a NaN, infinite or huge sample counts as CostCap.
        private static float Capped(float cost) => cost < CostCap ? cost : CostCap;
    }
}
