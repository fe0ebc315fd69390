using System;
using System.Collections.Generic;
using System.Linq;
using EmbeddedMpc.Core.Actuation;
using EmbeddedMpc.Core.Catalog;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using EmbeddedMpc.Core.Policies;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Budget;

/// <summary>
/// Anytime planning: with the control loop's deadline armed, a planner whose rollouts are slow stops
/// between rollouts when the budget runs out and returns the best plan it has scored; without a deadline
/// it plans to its full size. Time is a fake clock that only rollouts advance, so nothing here is timed.
/// </summary>
[TestClass]
public sealed class AnytimePlanningTests
{
    private const int BudgetMicroseconds = 16_000;

    [TestMethod]
    public void NoTickOverrunsWhenEveryRolloutTakesThreeMilliseconds()
    {
        // Scenario: a homed swing-up on esp32-rig with iCEM of 4 samples x 2 iterations (about 10 rollouts,
        // 30 ms of fake time per tick at 3 ms a rollout, twice the 16 ms budget).
        (ControlLoop loop, RecedingHorizonController planner, ControlledRig simulation, ManualClock _) = SlowLoop(seed: 3, rolloutMicroseconds: 3_000);
        loop.StopsPlanningAtBudget = true;
        var record = new TelemetryRecord();
        int stopped = 0, planned = 0;
        for (int tick = 0; tick < 150; tick++)
        {
            loop.Tick(ref record);
            simulation.AdvancePlant();
            if (record.Mode == SupervisorMode.SwingUp)
            {
                planned++;
                stopped += planner.LastStoppedAtDeadline ? 1 : 0;
                Assert.IsTrue(record.PlanningMicroseconds <= BudgetMicroseconds, $"tick {tick} planned for {record.PlanningMicroseconds} µs");
                Assert.IsTrue(record.ModelSteps > 0, $"tick {tick}: at least one rollout scored");
            }

            Assert.AreEqual(0, record.OverrunStreak, $"tick {tick}");
            Assert.AreNotEqual(SupervisorMode.Fault, record.Mode, $"tick {tick}: {record.Fault}");
        }

        // The deadline must actually have bound (else this test proves nothing): every planning tick.
        Assert.IsTrue(planned > 10, $"only {planned} planning ticks");
        Assert.AreEqual(planned, stopped, "every planning tick must have been cut short by the deadline");
    }

    [TestMethod]
    public void WithoutTheDeadlineTheSameSlowPlannerOverrunsAndFaults()
    {
        // The counterpart of the test above: the same planner and clock, the deadline not armed. The
        // supervisor faults with PlannerOverrun after its streak limit, so the deadline is what prevents it.
        (ControlLoop loop, RecedingHorizonController planner, ControlledRig simulation, ManualClock _) = SlowLoop(seed: 3, rolloutMicroseconds: 3_000);
        var record = new TelemetryRecord();
        for (int tick = 0; tick < 50 && record.Mode != SupervisorMode.Fault; tick++)
        {
            loop.Tick(ref record);
            simulation.AdvancePlant();
            Assert.IsFalse(planner.LastStoppedAtDeadline);
        }

        Assert.AreEqual(FaultReason.PlannerOverrun, record.Fault);
    }

    [TestMethod]
    public void ImprovedCemStoppedByTheDeadlineReturnsTheCheapestSequenceItScored()
    {
        // Scenario: iCEM of 4 samples x 2 iterations (10 rollouts in full) from the hanging pole, a plan of
        // zeros, 3 ms per rollout and 10 ms left: it scores 3 sequences and must return the cheapest of them,
        // with its cost.
        var clock = new ManualClock();
        var evaluator = new SlowRecordingEvaluator(Rollout(), clock, 3_000);
        var optimizer = new ImprovedCemOptimizer(new ImprovedCemSettings { Samples = 4, Iterations = 2, Elites = 2, Horizon = evaluator.KnotCount, KnotsPerTick = evaluator.KnotsPerTick, Seed = 5 }, evaluator);
        var deadline = new PlanningDeadline(clock);
        optimizer.UseDeadline(deadline);
        float[] plan = new float[evaluator.KnotCount];
        CartPoleState start = new(0f, 0f, 3.1f, 0f);

        deadline.Start(clock.NowMicroseconds, 10_000);
        float cost = optimizer.Optimize(ref start, plan);

        // Checks at 0, 3 and 6 ms allow a rollout (the first always; 3 + 3 and 6 + 3 <= 10), the one at 9 ms does not (9 + 3 > 10).
        Assert.AreEqual(3, evaluator.Scored.Count, "rollouts scored before the deadline");
        Assert.IsTrue(deadline.Reached);
        (float[] actions, float bestCost) = evaluator.Scored.OrderBy(s => s.Cost).Select(s => (s.Actions, s.Cost)).First();
        Assert.AreEqual(bestCost, cost, "the reported cost is the cheapest scored sequence's");
        CollectionAssert.AreEqual(actions, plan, "the plan is the cheapest scored sequence");
    }

    [TestMethod]
    public void AnOptimizerWhoseDeadlineHasPassedKeepsTheIncomingPlan()
    {
        // Scenario: planning starts after the budget is gone (a late tick). No optimizer may return anything
        // but the (clamped) incoming plan: never an unplanned sequence.
        foreach (string name in new[] { "cem", "icem", "mppi", "shooting", "ilqr" })
        {
            var clock = new ManualClock();
            var evaluator = new SlowRecordingEvaluator(Rollout(), clock, 1_000);
            IActionSequenceOptimizer optimizer = Optimizer(name, evaluator);
            var deadline = new PlanningDeadline(clock);
            ((IAnytimePlanner)optimizer).UseDeadline(deadline);
            float[] incoming = Enumerable.Range(0, evaluator.KnotCount).Select(k => 0.05f * k - 0.2f).ToArray();
            float[] plan = (float[])incoming.Clone();
            CartPoleState start = new(0f, 0f, 3.1f, 0f);
            deadline.Start(clock.NowMicroseconds - 20_000, BudgetMicroseconds);

            optimizer.Optimize(ref start, plan);

            // Random shooting and iLQR score the incoming plan first, as their one unit of work; the others none.
            Assert.IsTrue(evaluator.Scored.Count <= 1, $"{name}: {evaluator.Scored.Count} rollouts after the deadline");
            CollectionAssert.AreEqual(incoming, plan, $"{name}: the incoming plan must stand");
        }
    }

    [TestMethod]
    public void AnUnarmedDeadlineChangesNothing()
    {
        // The same optimizer and seed with no deadline, and with a deadline handed over but never armed:
        // the same plan and cost to the bit.
        float[] Run(bool handOver)
        {
            var clock = new ManualClock();
            var evaluator = new SlowRecordingEvaluator(Rollout(), clock, 3_000);
            IActionSequenceOptimizer optimizer = Optimizer("icem", evaluator);
            if (handOver)
            {
                ((IAnytimePlanner)optimizer).UseDeadline(new PlanningDeadline(clock));
            }

            float[] plan = new float[evaluator.KnotCount];
            CartPoleState start = new(0f, 0f, 3.1f, 0f);
            float cost = optimizer.Optimize(ref start, plan);
            return plan.Append(cost).ToArray();
        }

        CollectionAssert.AreEqual(Run(handOver: false), Run(handOver: true));
    }

    private static IActionSequenceOptimizer Optimizer(string name, SlowRecordingEvaluator evaluator) => name switch
    {
        "cem" => new CemOptimizer(new CemSettings { Samples = 6, Iterations = 2, Elites = 2, Horizon = evaluator.KnotCount, Seed = 2 }, evaluator),
        "icem" => new ImprovedCemOptimizer(new ImprovedCemSettings { Samples = 4, Iterations = 2, Elites = 2, Horizon = evaluator.KnotCount, KnotsPerTick = evaluator.KnotsPerTick, Seed = 2 }, evaluator),
        "mppi" => new MppiOptimizer(new MppiSettings { Samples = 5, Horizon = evaluator.KnotCount, Seed = 2 }, evaluator),
        "shooting" => new RandomShootingOptimizer(new RandomShootingSettings { Samples = 6, Horizon = evaluator.KnotCount, Seed = 2 }, evaluator),
        "ilqr" => new IterativeLqrOptimizer(new IterativeLqrSettings { Horizon = evaluator.KnotCount, Iterations = 2 }, evaluator.Inner),
        _ => throw new ArgumentException(name),
    };

    /// <summary>icem-esp32's rollout on esp32-rig (10 steps of 80 ms, 3 knots), or one knot per step for iLQR.</summary>
    private static CartPoleRollout Rollout()
    {
        RigProfile profile = RigProfiles.Esp32Rig();
        CartPoleParameters parameters = profile.CopyParameters();
        var model = new CartPoleModel(parameters);
        MotorParameters drive = profile.CopyMotor();
        RolloutSettings grid = Esp32Grid(profile);
        grid.StepsPerKnot = 1;
        ICost cost = new LqrTerminalCost(new DmControlRewardCost(parameters.TrackHalfLengthMeters), ControllerFactory.DmControlRewardLqr(model, drive, profile.ControlPeriodSeconds), 1f);
        return new CartPoleRollout(model, cost, grid, drive);
    }

    /// <summary>
    /// A homed swing-up on esp32-rig whose planner (iCEM 4 x 2 on icem-esp32's cost and grid) takes
    /// <paramref name="rolloutMicroseconds"/> of fake time per rollout; the loop's budget is 16 ms, its supervisor a device's.
    /// </summary>
    private static (ControlLoop, RecedingHorizonController, ControlledRig, ManualClock) SlowLoop(uint seed, long rolloutMicroseconds)
    {
        var simulation = new ControlledRig(new RunSettings { Seed = seed, Planner = "icem-esp32", StartHomed = true });
        RigProfile profile = simulation.Profile;
        CartPoleParameters parameters = profile.CopyParameters();
        var model = new CartPoleModel(parameters);
        MotorParameters drive = profile.CopyMotor();
        ICost cost = new LqrTerminalCost(new DmControlRewardCost(parameters.TrackHalfLengthMeters), ControllerFactory.DmControlRewardLqr(model, drive, profile.ControlPeriodSeconds), 1f);
        var rollout = new CartPoleRollout(model, cost, Esp32Grid(profile), drive);
        var clock = new ManualClock();
        var evaluator = new SlowRecordingEvaluator(rollout, clock, rolloutMicroseconds);
        var optimizer = new ImprovedCemOptimizer(new ImprovedCemSettings { Samples = 4, Iterations = 2, Elites = 2, Horizon = rollout.KnotCount, KnotsPerTick = rollout.KnotsPerControlPeriod, Seed = seed }, evaluator);
        var planner = new RecedingHorizonController(optimizer, evaluator, rollout.KnotsPerControlPeriod);
        // The device's supervisor (it faults on overrun streaks; the simulator's own does not): homed, starting by itself.
        var supervisor = new Supervisor(SupervisorSettings.ForProfile(profile), simulation.Estimator);
        supervisor.MarkHomed();
        supervisor.AutoStart = true;
        var loop = new ControlLoop(simulation.Rig, simulation.Rig, clock, simulation.Estimator, supervisor,
            planner, new LqrPolicy(ControllerFactory.DmControlRewardLqr(model, drive, profile.ControlPeriodSeconds)), new MotorActuator(ActuationSettings.ForProfile(profile)),
            drive, BudgetMicroseconds);
        return (loop, planner, simulation, clock);
    }

    /// <summary>The rollout grid of the icem-esp32 definition on <paramref name="profile"/>.</summary>
    private static RolloutSettings Esp32Grid(RigProfile profile)
    {
        PlannerDefinition definition = PlannerDefinitions.ImprovedCemEsp32();
        return new RolloutSettings
        {
            ControlPeriodSeconds = profile.ControlPeriodSeconds,
            ModelStepSeconds = definition.ModelStepSeconds,
            HorizonSteps = definition.HorizonSteps,
            StepsPerKnot = definition.StepsPerKnot,
        };
    }

    /// <summary>A clock that stands still unless advanced.</summary>
    private sealed class ManualClock : IMicrosecondClock
    {
        public long NowMicroseconds { get; set; } = 1_000_000;
    }

    /// <summary>A rollout that takes a fixed time on a fake clock and records what it scored.</summary>
    private sealed class SlowRecordingEvaluator(CartPoleRollout inner, ManualClock clock, long rolloutMicroseconds) : IRolloutEvaluator
    {
        public CartPoleRollout Inner => inner;

        public int KnotCount => inner.KnotCount;

        public float KnotsPerTick => inner.KnotsPerControlPeriod;

        public List<(float[] Actions, float Cost)> Scored { get; } = [];

        public long ModelStepCount => inner.ModelStepCount;

        public float RolloutCost(ref CartPoleState start, float[] actions, int offset, int horizon)
        {
            float cost = inner.RolloutCost(ref start, actions, offset, horizon);
            Scored.Add((actions.Skip(offset).Take(horizon).ToArray(), cost));
            clock.NowMicroseconds += rolloutMicroseconds;
            return cost;
        }
    }
}
