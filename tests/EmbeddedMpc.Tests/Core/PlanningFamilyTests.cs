using System;
using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using EmbeddedMpc.Core.Policies;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Core;

/// <summary>iCEM, MPPI, the knot parameterization, the warm-start shift, the LQR and the dm_control cost.</summary>
[TestClass]
public sealed class PlanningFamilyTests
{
    private static readonly float[] Target = [0.5f, -0.3f, 0.8f, 0.0f, -0.9f, 0.2f, 0.6f, -0.5f];

    [TestMethod]
    public void ImprovedCemConvergesToTheKnownOptimumOfAQuadraticProblem()
    {
        // No population decay here: this checks the sampling-and-refit machinery, as for CEM.
        var settings = new ImprovedCemSettings { Samples = 100, Horizon = Target.Length, Iterations = 15, Elites = 10, PopulationDecay = 1f, NoiseCorrelation = 0f, MinimumStandardDeviation = 0.001f, Seed = 3 };
        var optimizer = new ImprovedCemOptimizer(settings, new QuadraticProblem(Target));
        var plan = new float[Target.Length];
        var start = new CartPoleState();
        float cost = optimizer.Optimize(ref start, plan);
        // Like CEM: 15 iterations shrink the spread to about 0.001 around the optimum; 0.03 leaves ample room.
        for (int t = 0; t < Target.Length; t++)
        {
            Assert.AreEqual(Target[t], plan[t], 0.03, $"knot {t}");
        }

        Assert.IsTrue(cost < 3e-3f, $"cost {cost}");
    }

    [TestMethod]
    public void ImprovedCemKeepsTheShiftedElitesSoAGoodPlanIsNotLostBetweenTicks()
    {
        // The optimum does not move between calls; with a 0-knot shift the carried elites are the old
        // optimum and the second call must be at least as good as the first.
        var settings = new ImprovedCemSettings { Samples = 8, Horizon = Target.Length, Iterations = 2, Elites = 3, KnotsPerTick = 0.001f, Seed = 4 };
        var optimizer = new ImprovedCemOptimizer(settings, new QuadraticProblem(Target));
        var plan = new float[Target.Length];
        var start = new CartPoleState();
        float first = optimizer.Optimize(ref start, plan);
        float second = optimizer.Optimize(ref start, plan);
        Assert.IsTrue(second <= first * 1.01f, $"first {first}, second {second}");
    }

    [TestMethod]
    public void MppiMovesThePlanTowardTheOptimumEveryIteration()
    {
        var settings = new MppiSettings { Samples = 200, Horizon = Target.Length, Iterations = 1, Temperature = 0.05f, NoiseStandardDeviation = 0.3f, NoiseCorrelation = 0f, Seed = 5 };
        var optimizer = new MppiOptimizer(settings, new QuadraticProblem(Target));
        var plan = new float[Target.Length];
        var start = new CartPoleState();
        double previous = Distance(plan);
        for (int call = 0; call < 10; call++)
        {
            optimizer.Optimize(ref start, plan);
            double distance = Distance(plan);
            // Far from the optimum every weighted update must move toward it; near it, the sampling
            // noise (0.3 per knot over 200 samples) leaves a jitter of a few hundredths.
            Assert.IsTrue(distance < previous || distance < 0.1, $"call {call}: distance {distance} did not fall from {previous}");
            previous = distance;
        }

        // The weighted average settles within the noise's reach of the optimum.
        Assert.IsTrue(previous < 0.15, $"distance to the optimum after 10 calls: {previous}");
    }

    [TestMethod]
    public void AWholeKnotShiftMovesThePlanOneEntryEarlierAndFillsTheEnd()
    {
        float[] plan = [1f, 2f, 3f, 4f];
        PlanShift.Shift(plan, 0, 4, 1f, 9f);
        CollectionAssert.AreEqual(new[] { 2f, 3f, 4f, 9f }, plan);
    }

    [TestMethod]
    public void AFractionalShiftInterpolatesLinearlyBetweenKnots()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 1000; trial++)
        {
            var plan = new float[6];
            for (int k = 0; k < plan.Length; k++)
            {
                plan[k] = (float)(random.NextDouble() * 2 - 1);
            }

            float shift = (float)random.NextDouble();
            float[] original = (float[])plan.Clone();
            PlanShift.Shift(plan, 0, plan.Length, shift, 0f);
            for (int k = 0; k < plan.Length - 1; k++)
            {
                double expected = original[k] + shift * (original[k + 1] - original[k]);
                Assert.AreEqual(expected, plan[k], 1e-6, $"trial {trial}, knot {k}, shift {shift}");
            }
        }
    }

    [TestMethod]
    public void LinearKnotsInterpolateTheCommandBetweenDecisions()
    {
        // A ramp of knots must act like the same ramp given step by step.
        RigProfile profile = RigProfiles.DmControl();
        var model = new CartPoleModel(profile.CopyParameters());
        var cost = new BalanceCost(new BalanceCostSettings(), 1.8f);
        var knots = new CartPoleRollout(model, cost, new RolloutSettings { ModelStepSeconds = 0.02f, HorizonSteps = 12, StepsPerKnot = 4 }, null);
        var steps = new CartPoleRollout(model, cost, new RolloutSettings { ModelStepSeconds = 0.02f, HorizonSteps = 12, StepsPerKnot = 1 }, null);
        Assert.AreEqual(4, knots.KnotCount);
        float[] knotValues = [0f, 0.4f, 0.8f, 1.2f];
        var perStep = new float[12];
        for (int j = 0; j < 12; j++)
        {
            perStep[j] = 0.1f * j;
        }

        var start = new CartPoleState(0f, 0f, 0.1f, 0f);
        Assert.AreEqual(steps.RolloutCost(ref start, perStep, 0, 12), knots.RolloutCost(ref start, knotValues, 0, 4), 1e-4f);
        Assert.AreEqual(0.02f / (4 * 0.02f), knots.KnotsPerControlPeriod, 1e-6f);
    }

    [TestMethod]
    public void TheLqrBalancesTheNonlinearModelFromATenthOfARadian()
    {
        foreach (RigProfile profile in new[] { RigProfiles.DmControl(), RigProfiles.Esp32Rig(), RigProfiles.QuanserIp02LongPendulum() })
        {
            var model = new CartPoleModel(profile.CopyParameters());
            MotorParameters drive = profile.CopyMotor();
            var lqr = new LinearQuadraticRegulator(model, drive, 0.02f, [10f, 1f, 100f, 1f], 1f);
            var policy = new LqrPolicy(lqr);
            var state = new CartPoleState(0.05f, 0f, 0.1f, 0f);
            float stall = drive.StallForcePerDutyNewtons();
            float emf = drive.BackEmfDampingNewtonSecondsPerMeter();
            for (int tick = 0; tick < 500; tick++)
            {
                float u = policy.ComputeAction(ref state);
                for (int s = 0; s < 20; s++)
                {
                    model.StepRk4(ref state, stall * u - emf * state.XDot, 0.001f);
                }
            }

            // 10 s later the pole is upright and the cart back at the centre.
            Assert.AreEqual(0, state.Theta, 1e-3, $"{profile.Name}: theta");
            Assert.AreEqual(0, state.X, 1e-2, $"{profile.Name}: x");
        }
    }

    [TestMethod]
    public void TheLqrValueIsPositiveDefiniteAndZeroAtUpright()
    {
        RigProfile profile = RigProfiles.Esp32Rig();
        var lqr = new LinearQuadraticRegulator(new CartPoleModel(profile.CopyParameters()), profile.CopyMotor(), 0.02f, [1f, 0.1f, 10f, 0.1f], 0.5f);
        var upright = new CartPoleState();
        Assert.AreEqual(0f, lqr.Value(ref upright));
        var random = new Random(2);
        for (int i = 0; i < 1000; i++)
        {
            var state = new CartPoleState((float)random.NextDouble() - 0.5f, (float)random.NextDouble() - 0.5f, (float)random.NextDouble() - 0.5f, (float)random.NextDouble() - 0.5f);
            Assert.IsTrue(lqr.Value(ref state) > 0f, $"V({state.X}, {state.XDot}, {state.Theta}, {state.ThetaDot}) <= 0");
        }
    }

    [TestMethod]
    public void TheDmControlRewardCostIsOneMinusTheBenchmarksReward()
    {
        var cost = new DmControlRewardCost(100f);
        var random = new Random(17);
        for (int i = 0; i < 20_000; i++)
        {
            var state = new CartPoleState((float)(random.NextDouble() * 4 - 2), 0f, (float)(random.NextDouble() * 8 - 4), (float)(random.NextDouble() * 20 - 10));
            float u = (float)(random.NextDouble() * 2 - 1);
            double reward = DmControlReward.Evaluate(state.X, state.Theta, state.ThetaDot, u);
            // Float arithmetic and the Core's own exp and cos against double precision.
            Assert.AreEqual(1 - reward, cost.StageCost(ref state, u), 2e-6);
        }
    }

    [TestMethod]
    public void ExpectedCostIsTheMeanOverTheParticlesAndCountsAllTheirModelSteps()
    {
        var near = new QuadraticProblem(Target);
        var shifted = new float[Target.Length];
        for (int t = 0; t < shifted.Length; t++)
        {
            shifted[t] = Target[t] + 0.5f;
        }

        var far = new QuadraticProblem(shifted);
        var expected = new ExpectedCostEvaluator([near, far]);
        var start = new CartPoleState();
        float[] plan = (float[])Target.Clone();
        // Under the first problem the target costs 0, under the second 8 x 0.25 = 2: the mean is 1.
        Assert.AreEqual(1f, expected.RolloutCost(ref start, plan, 0, Target.Length), 1e-6f);
        Assert.AreEqual(2L * Target.Length, expected.ModelStepCount);
        Assert.ThrowsExactly<ArgumentException>(() => new ExpectedCostEvaluator([]));
    }

    private static double Distance(float[] plan)
    {
        double sum = 0;
        for (int t = 0; t < Target.Length; t++)
        {
            sum += (plan[t] - Target[t]) * (plan[t] - Target[t]);
        }

        return Math.Sqrt(sum);
    }
}
