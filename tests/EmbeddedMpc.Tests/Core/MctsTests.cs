using System;
using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Core;

/// <summary>Monte Carlo tree search: UCB1 selection, the node pool, re-rooting, the budget, determinism, allocations, settings.</summary>
[TestClass]
public sealed class MctsTests
{
    private static readonly CartPoleState Hanging = new(0f, 0f, MathF.PI, 0f);

    [TestMethod]
    public void Ucb1SpendsMostVisitsOnTheObviouslyCheaperActionAndCommitsIt()
    {
        // Every step costs (u - 1)^2 and nothing else: +1 is free, 0 costs 1 and -1 costs 4 per step.
        var rollout = DmRollout(new PreferFullPositiveCommand());
        // Without rollouts a leaf at the depth limit costs no model step to evaluate again, so the
        // iteration cap (150) is what ends the search here.
        var settings = new MctsSettings { ActionLevels = 3, RolloutSteps = 0, IterationsPerTick = 150, Seed = 1 };
        var mcts = new MctsOptimizer(settings, rollout, null);
        var plan = new float[mcts.Horizon];
        var start = Hanging;
        mcts.Optimize(ref start, plan);

        Assert.AreEqual(2, mcts.LastChosenLevel, "the level of +1");
        Assert.AreEqual(1f, plan[0]);
        // With C = 0.7 and the siblings' costs normalized to [0, 1],
        // UCB1 gives the worst level a handful of visits and the middle one a few dozen (its normalized
        // gap is only 0.25); the cheapest must still get more than half.
        Assert.AreEqual(150, mcts.LastIterations);
        Assert.IsTrue(mcts.LastChosenVisits > 75, $"the cheapest action got {mcts.LastChosenVisits} of 150 visits");
        // The whole most-visited path holds +1, the cheapest sequence.
        for (int k = 0; k < plan.Length; k++)
        {
            Assert.AreEqual(1f, plan[k], $"plan[{k}]");
        }
    }

    [TestMethod]
    public void ThePoolIsNeverExceededAndASearchInAFullPoolStillPlans()
    {
        // 40 nodes fill within the first tick (about 30 iterations of 10 model steps); the search must
        // then go on evaluating leaves without allocating nodes.
        var rollout = DmRollout(new DmControlRewardCost(1.8f));
        var settings = new MctsSettings { ActionLevels = 3, NodeCapacity = 40, Seed = 2 };
        var mcts = new MctsOptimizer(settings, rollout, null);
        var plan = new float[mcts.Horizon];
        var state = Hanging;
        int largest = 0;
        for (int tick = 0; tick < 100; tick++)
        {
            mcts.Optimize(ref state, plan);
            Assert.IsTrue(mcts.NodeCount <= 40, $"tick {tick}: {mcts.NodeCount} nodes in a pool of 40");
            Assert.IsTrue(mcts.LastIterations > 0, $"tick {tick}: no iteration ran");
            Assert.IsTrue(plan[0] >= -1f && plan[0] <= 1f, $"tick {tick}: action {plan[0]}");
            largest = Math.Max(largest, mcts.NodeCount);
            Advance(ref state, plan[0]);
        }

        // The pool did fill up (within one block of children), so the bound was exercised.
        Assert.IsTrue(largest > 40 - settings.ActionLevels, $"largest tree {largest} nodes");
    }

    [TestMethod]
    public void ReRootingKeepsTheChosenSubtreeAndItsVisitCounts()
    {
        // Decisions of 2 model steps of 40 ms span 4 ticks of 20 ms: a decision tick re-roots at the
        // chosen child, the next 3 ticks search on in its subtree.
        var rollout = DmRollout(new DmControlRewardCost(1.8f));
        var mcts = new MctsOptimizer(new MctsSettings { ActionLevels = 5, RolloutSteps = 4, Seed = 3 }, rollout, null);
        Assert.AreEqual(4, mcts.TicksPerDecision);
        var plan = new float[mcts.Horizon];
        var state = Hanging;
        for (int decision = 0; decision < 10; decision++)
        {
            mcts.Optimize(ref state, plan);
            // The new root is the chosen child with all the visits it had when chosen.
            Assert.AreEqual(mcts.LastChosenVisits, mcts.RootVisits, $"decision {decision}: root visits after re-rooting");
            Assert.IsTrue(mcts.LastChosenVisits > 0);
            AssertChildrenVisitsFitTheRoot(mcts, decision);
            Advance(ref state, plan[0]);
            for (int tick = 1; tick < 4; tick++)
            {
                int before = mcts.RootVisits;
                mcts.Optimize(ref state, plan);
                // Each iteration of the tick went through the kept root: nothing was dropped or recounted.
                Assert.AreEqual(before + mcts.LastIterations, mcts.RootVisits, $"decision {decision}, tick {tick}");
                AssertChildrenVisitsFitTheRoot(mcts, decision);
                Advance(ref state, plan[0]);
            }
        }
    }

    [TestMethod]
    public void AClosedLoopNeverSpendsMoreModelStepsPerTickThanTheBudget()
    {
        var rollout = DmRollout(new DmControlRewardCost(1.8f));
        // An iteration costs at most 2 + 7 = 9 model steps: a budget of 100 allows 11 full iterations (99 steps).
        var mcts = new MctsOptimizer(new MctsSettings { RolloutSteps = 7, ModelStepBudgetPerTick = 100, Seed = 4 }, rollout, null);
        var controller = new RecedingHorizonController(mcts, rollout, 1f / mcts.TicksPerDecision);
        var state = Hanging;
        for (int tick = 0; tick < 200; tick++)
        {
            float action = controller.ComputeAction(ref state);
            Assert.IsTrue(controller.LastModelSteps <= 100, $"tick {tick}: {controller.LastModelSteps} model steps");
            // The budget is used, not wasted: less than one more iteration is left over.
            Assert.IsTrue(controller.LastModelSteps > 100 - 9, $"tick {tick}: only {controller.LastModelSteps} model steps");
            Advance(ref state, action);
        }

        var capped = new MctsOptimizer(new MctsSettings { IterationsPerTick = 5, Seed = 4 }, DmRollout(new DmControlRewardCost(1.8f)), null);
        var plan = new float[capped.Horizon];
        state = Hanging;
        capped.Optimize(ref state, plan);
        Assert.AreEqual(5, capped.LastIterations, "the iteration cap binds before the 300-step budget");
    }

    [TestMethod]
    public void AFixedSeedGivesTheSameActionsAndResetRestartsThem()
    {
        float[] first = ClosedLoopActions(seed: 5, out MctsOptimizer optimizer, out CartPoleRollout rollout);
        float[] second = ClosedLoopActions(seed: 5, out _, out _);
        CollectionAssert.AreEqual(first, second, "two optimizers with seed 5");

        optimizer.Reset();
        float[] afterReset = Drive(optimizer, rollout, first.Length);
        CollectionAssert.AreEqual(first, afterReset, "the same optimizer after Reset");

        // Random rollouts do matter: another seed takes other actions somewhere in 100 ticks.
        float[] other = ClosedLoopActions(seed: 6, out _, out _);
        CollectionAssert.AreNotEqual(first, other, "seeds 5 and 6");
    }

    [TestMethod]
    public void OptimizeAllocatesNothingAfterWarmUp()
    {
        // Small pool so that full-pool searches and re-rooting both happen during the measured calls.
        var rollout = DmRollout(new DmControlRewardCost(1.8f));
        var mcts = new MctsOptimizer(new MctsSettings { ActionLevels = 5, NodeCapacity = 200, Seed = 7 }, rollout, null);
        var plan = new float[mcts.Horizon];
        var state = Hanging;
        for (int tick = 0; tick < 20; tick++)
        {
            mcts.Optimize(ref state, plan);
            Advance(ref state, plan[0]);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int tick = 0; tick < 500; tick++)
        {
            mcts.Optimize(ref state, plan);
            Advance(ref state, plan[0]);
        }

        Assert.AreEqual(0L, GC.GetAllocatedBytesForCurrentThread() - before, "bytes allocated by 500 calls");
    }

    [TestMethod]
    public void BadSettingsAreRejectedByName()
    {
        var rollout = DmRollout(new DmControlRewardCost(1.8f));
        AssertRejected("ActionLevels", new MctsSettings { ActionLevels = 1 }, rollout);
        AssertRejected("ExplorationConstant", new MctsSettings { ExplorationConstant = -0.1f }, rollout);
        AssertRejected("TreeDepth", new MctsSettings { TreeDepth = 0 }, rollout);
        AssertRejected("ModelStepBudgetPerTick", new MctsSettings { StepsPerDecision = 2, RolloutSteps = 10, ModelStepBudgetPerTick = 11 }, rollout);
        AssertRejected("NodeCapacity", new MctsSettings { ActionLevels = 5, NodeCapacity = 5 }, rollout);
        AssertRejected("ActionMax", new MctsSettings { ActionMin = 0.5f, ActionMax = 0.5f }, rollout);
        // One 30 ms model step is 1.5 control periods of 20 ms: not a whole number of ticks.
        var odd = new CartPoleRollout(new CartPoleModel(RigProfiles.DmControl().CopyParameters()), new DmControlRewardCost(1.8f),
            new RolloutSettings { ControlPeriodSeconds = 0.02f, ModelStepSeconds = 0.03f, HorizonSteps = 10 }, null);
        AssertRejected("StepsPerDecision", new MctsSettings { StepsPerDecision = 1 }, odd);
        AssertRejected("defaultPolicy", new MctsSettings { RolloutPolicy = MctsRolloutPolicy.DefaultPolicy }, rollout);
    }

    private static void AssertRejected(string name, MctsSettings settings, CartPoleRollout rollout)
    {
        // Assert.Throws accepts derived types: a missing policy is an ArgumentNullException.
        var exception = Assert.Throws<ArgumentException>(() => new MctsOptimizer(settings, rollout, null), name);
        Assert.AreEqual(name, exception.ParamName);
    }

    private static void AssertChildrenVisitsFitTheRoot(MctsOptimizer mcts, int decision)
    {
        int sum = 0;
        for (int level = 0; level < 5; level++)
        {
            sum += mcts.RootChildVisits(level);
        }

        // Every visit to a child went through the root; the root's own leaf evaluations add at most one.
        Assert.IsTrue(sum <= mcts.RootVisits && sum >= mcts.RootVisits - 1, $"decision {decision}: children {sum}, root {mcts.RootVisits}");
    }

    private static float[] ClosedLoopActions(uint seed, out MctsOptimizer optimizer, out CartPoleRollout rollout)
    {
        rollout = DmRollout(new DmControlRewardCost(1.8f));
        optimizer = new MctsOptimizer(new MctsSettings { ActionLevels = 5, RolloutSteps = 4, Seed = seed }, rollout, null);
        return Drive(optimizer, rollout, 100);
    }

    private static float[] Drive(MctsOptimizer optimizer, CartPoleRollout rollout, int ticks)
    {
        var actions = new float[ticks];
        var plan = new float[optimizer.Horizon];
        var state = Hanging;
        for (int tick = 0; tick < ticks; tick++)
        {
            optimizer.Optimize(ref state, plan);
            actions[tick] = plan[0];
            Advance(ref state, plan[0]);
        }

        return actions;
    }

    // The plant for these tests: one 20 ms control period as two 10 ms semi-implicit Euler steps of the dm_control model.
    private static void Advance(ref CartPoleState state, float action)
    {
        float force = s_plantStallForce * action;
        s_plant.StepSemiImplicitEuler(ref state, force, 0.01f);
        s_plant.StepSemiImplicitEuler(ref state, force, 0.01f);
    }

    private static readonly CartPoleModel s_plant = new(RigProfiles.DmControl().CopyParameters());
    private static readonly float s_plantStallForce = RigProfiles.DmControl().CopyMotor().StallForcePerDutyNewtons();

    // The planner's side: the dm_control model and its ideal 10 N force source, 40 ms model steps, 20 ms ticks.
    private static CartPoleRollout DmRollout(ICost cost, float modelStepSeconds = 0.04f)
    {
        RigProfile profile = RigProfiles.DmControl();
        return new CartPoleRollout(new CartPoleModel(profile.CopyParameters()), cost,
            new RolloutSettings { ControlPeriodSeconds = 0.02f, ModelStepSeconds = modelStepSeconds, HorizonSteps = 20 }, profile.CopyMotor());
    }

    private sealed class PreferFullPositiveCommand : ICost
    {
        public float StageCost(ref CartPoleState state, float action) => (action - 1f) * (action - 1f);

        public float TerminalCost(ref CartPoleState state) => 0f;
    }
}
