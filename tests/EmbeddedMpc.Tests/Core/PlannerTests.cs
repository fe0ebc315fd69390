using System;
using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Core;

/// <summary>A problem with a known optimum: cost = sum_t (a_t - target_t)^2, independent of the state.</summary>
internal sealed class QuadraticProblem : IRolloutEvaluator
{
    private readonly float[] _target;

    public QuadraticProblem(float[] target) => _target = target;

    public long ModelStepCount { get; private set; }

    public float RolloutCost(ref CartPoleState start, float[] actions, int offset, int horizon)
    {
        float cost = 0f;
        for (int t = 0; t < horizon; t++)
        {
            float error = actions[offset + t] - _target[t];
            cost += error * error;
        }

        ModelStepCount += horizon;
        return cost;
    }
}

[TestClass]
public sealed class PlannerTests
{
    private static readonly float[] Target = [0.5f, -0.3f, 0.8f, 0.0f, -0.9f, 0.2f, 0.6f, -0.5f];

    [TestMethod]
    public void CemConvergesToTheKnownOptimumOfAQuadraticProblem()
    {
        foreach (CemResult result in new[] { CemResult.BestSample, CemResult.Mean })
        {
            var settings = new CemSettings { Samples = 200, Horizon = Target.Length, Iterations = 15, Elites = 20, MinimumStandardDeviation = 0.001f, Result = result, Seed = 11 };
            var optimizer = new CemOptimizer(settings, new QuadraticProblem(Target));
            var plan = new float[Target.Length];
            var start = new CartPoleState();
            float cost = optimizer.Optimize(ref start, plan);
            for (int t = 0; t < Target.Length; t++)
            {
                // 15 iterations shrink the spread from 0.5 to about 0.001 around the optimum; 0.02 leaves ample room.
                Assert.AreEqual(Target[t], plan[t], 0.02, $"{result}: action {t}");
            }

            Assert.IsTrue(cost < 1e-3f, $"{result}: cost {cost}");
        }
    }

    [TestMethod]
    public void CemClipsToTheActionBoundsWhenTheOptimumLiesOutside()
    {
        float[] target = [2f, -2f, 0.9f];
        var settings = new CemSettings { Samples = 64, Horizon = 3, Iterations = 10, Elites = 8, ActionMin = -0.5f, ActionMax = 0.5f, Seed = 2 };
        var optimizer = new CemOptimizer(settings, new QuadraticProblem(target));
        var plan = new float[3];
        var start = new CartPoleState();
        optimizer.Optimize(ref start, plan);
        CollectionAssert.AreEqual(new[] { 0.5f, -0.5f, 0.5f }, plan);
    }

    [TestMethod]
    public void RandomShootingImprovesWithMoreSamples()
    {
        double fewTotal = 0, manyTotal = 0;
        for (uint seed = 1; seed <= 20; seed++)
        {
            fewTotal += ShootOnce(10, seed);
            manyTotal += ShootOnce(2000, seed);
        }

        // With 8 independent uniform actions the expected best-of-N cost falls steadily with N.
        Assert.IsTrue(manyTotal < 0.6 * fewTotal, $"mean best cost: 10 samples {fewTotal / 20:F3}, 2000 samples {manyTotal / 20:F3}");
    }

    [TestMethod]
    public void RandomShootingNeverReturnsAPlanWorseThanTheWarmStart()
    {
        var optimizer = new RandomShootingOptimizer(new RandomShootingSettings { Samples = 5, Horizon = Target.Length, Seed = 3 }, new QuadraticProblem(Target));
        float[] plan = (float[])Target.Clone();
        var start = new CartPoleState();
        Assert.AreEqual(0f, optimizer.Optimize(ref start, plan));
        CollectionAssert.AreEqual(Target, plan);
    }

    [TestMethod]
    public void TheSameSeedGivesTheSameClosedLoopActions()
    {
        foreach (bool cem in new[] { true, false })
        {
            float[] first = RunController(cem, seed: 5);
            float[] second = RunController(cem, seed: 5);
            float[] other = RunController(cem, seed: 6);
            CollectionAssert.AreEqual(first, second, cem ? "CEM" : "shooting");
            CollectionAssert.AreNotEqual(first, other, "a different seed should give different samples");
        }
    }

    [TestMethod]
    public void ResetRestartsTheControllerAsIfNew()
    {
        RecedingHorizonController controller = BuildController(cem: true, seed: 9);
        var state = new CartPoleState(0f, 0f, 3.1f, 0f);
        float firstAction = controller.ComputeAction(ref state);
        controller.ComputeAction(ref state);
        controller.Reset();
        Assert.AreEqual(firstAction, controller.ComputeAction(ref state));
    }

    [TestMethod]
    public void TheControllerShiftsThePreviousPlanByOneStepBeforeOptimizing()
    {
        var recorder = new RecordingOptimizer(4);
        var controller = new RecedingHorizonController(recorder, new QuadraticProblem(new float[4]), 1f) { FillAction = 0.25f };
        var state = new CartPoleState();
        float firstAction = controller.ComputeAction(ref state);
        CollectionAssert.AreEqual(new[] { 0.25f, 0.25f, 0.25f, 0.25f }, recorder.Received, "first tick starts from the fill action");
        Assert.AreEqual(1f, firstAction, "the plan's first action is applied");
        // The recorder writes 1, 2, 3, 4: the next tick must receive 2, 3, 4, fill.
        controller.ComputeAction(ref state);
        CollectionAssert.AreEqual(new[] { 2f, 3f, 4f, 0.25f }, recorder.Received);
    }

    [TestMethod]
    public void TheControllerCountsTheModelStepsOfEachTick()
    {
        RecedingHorizonController controller = BuildController(cem: true, seed: 1);
        var state = new CartPoleState(0f, 0f, 3f, 0f);
        controller.ComputeAction(ref state);
        // 16 samples x 3 iterations x 20 steps, one model step per action.
        Assert.AreEqual(16 * 3 * 20, controller.LastModelSteps);
    }

    [TestMethod]
    [DataRow("Samples", 0)]
    [DataRow("Horizon", 0)]
    [DataRow("Iterations", 0)]
    [DataRow("Elites", 17)]
    public void CemRejectsOutOfRangeSizesByName(string name, int value)
    {
        var settings = new CemSettings { Samples = 16, Elites = 4 };
        typeof(CemSettings).GetProperty(name)!.SetValue(settings, value);
        var error = Assert.ThrowsExactly<ArgumentException>(() => new CemOptimizer(settings, new QuadraticProblem(Target)));
        Assert.AreEqual(name, error.ParamName);
        StringAssert.Contains(error.Message, "must be an integer in [");
    }

    [TestMethod]
    [DataRow("Smoothing", float.NaN)]
    [DataRow("Smoothing", 1f)]
    [DataRow("InitialStandardDeviation", 0f)]
    [DataRow("MinimumStandardDeviation", 0.9f)]
    [DataRow("ActionMin", -2f)]
    public void CemRejectsOutOfRangeWeightsByName(string name, float value)
    {
        var settings = new CemSettings();
        typeof(CemSettings).GetProperty(name)!.SetValue(settings, value);
        var error = Assert.ThrowsExactly<ArgumentException>(() => new CemOptimizer(settings, new QuadraticProblem(Target)));
        Assert.AreEqual(name, error.ParamName);
    }

    [TestMethod]
    public void EqualActionBoundsAreRejected()
    {
        var settings = new RandomShootingSettings { ActionMin = 0.5f, ActionMax = 0.5f };
        var error = Assert.ThrowsExactly<ArgumentException>(() => new RandomShootingOptimizer(settings, new QuadraticProblem(Target)));
        StringAssert.Contains(error.Message, "ActionMax must be greater than ActionMin");
    }

    private static float ShootOnce(int samples, uint seed)
    {
        var optimizer = new RandomShootingOptimizer(new RandomShootingSettings { Samples = samples, Horizon = Target.Length, Seed = seed }, new QuadraticProblem(Target));
        var plan = new float[Target.Length];
        var start = new CartPoleState();
        return optimizer.Optimize(ref start, plan);
    }

    internal static RecedingHorizonController BuildController(bool cem, uint seed)
    {
        RigProfile profile = RigProfiles.Esp32Rig();
        CartPoleParameters parameters = profile.CopyParameters();
        var rollout = new CartPoleRollout(new CartPoleModel(parameters), new SwingUpCost(new SwingUpCostSettings(), parameters.TrackHalfLengthMeters),
            new RolloutSettings { ControlPeriodSeconds = profile.ControlPeriodSeconds, ModelStepSeconds = profile.ControlPeriodSeconds, HorizonSteps = 20 }, profile.CopyMotor());
        IActionSequenceOptimizer optimizer = cem
            ? new CemOptimizer(new CemSettings { Samples = 16, Horizon = 20, Iterations = 3, Elites = 4, Seed = seed }, rollout)
            : new RandomShootingOptimizer(new RandomShootingSettings { Samples = 50, Horizon = 20, Seed = seed }, rollout);
        return new RecedingHorizonController(optimizer, rollout, rollout.KnotsPerControlPeriod);
    }

    private static float[] RunController(bool cem, uint seed)
    {
        RecedingHorizonController controller = BuildController(cem, seed);
        var model = new CartPoleModel(RigProfiles.Esp32Rig().CopyParameters());
        var state = new CartPoleState(0f, 0f, 3.1f, 0f);
        var actions = new float[50];
        for (int i = 0; i < actions.Length; i++)
        {
            actions[i] = controller.ComputeAction(ref state);
            model.StepRk4(ref state, actions[i] * 6f, 0.02f);
        }

        return actions;
    }

    private sealed class RecordingOptimizer : IActionSequenceOptimizer
    {
        public RecordingOptimizer(int horizon)
        {
            Horizon = horizon;
            Received = new float[horizon];
        }

        public int Horizon { get; }

        public float[] Received { get; }

        public float Optimize(ref CartPoleState start, float[] plan)
        {
            Array.Copy(plan, Received, Horizon);
            for (int t = 0; t < Horizon; t++)
            {
                plan[t] = t + 1;
            }

            return 0f;
        }

        public void Reset()
        {
        }
    }
}
