using System;
using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Core;

/// <summary>The model's analytic derivatives, iLQR and the sampling-then-iLQR hybrid.</summary>
[TestClass]
public sealed class TrajectoryOptimizationTests
{
    private static CartPoleModel DmControlModel() => new(RigProfiles.DmControl().CopyParameters());

    private static CartPoleRollout Rollout(int horizon = 30) => new(
        DmControlModel(),
        new DmControlRewardCost(RigProfiles.DmControl().CopyParameters().TrackHalfLengthMeters),
        new RolloutSettings { ControlPeriodSeconds = 0.02f, ModelStepSeconds = 0.04f, HorizonSteps = horizon, StepsPerKnot = 1 },
        RigProfiles.DmControl().CopyMotor());

    [TestMethod]
    public void TheAnalyticAccelerationDerivativesMatchCentralDifferencesAcrossTheStateSpace()
    {
        // A profile with every term present (damping on both joints, a pole heavier than a point mass).
        var parameters = RigProfiles.Esp32Rig().CopyParameters();
        parameters.CartDampingNewtonSecondsPerMeter = 2f;
        parameters.PivotDampingNewtonMeterSecondsPerRadian = 0.01f;
        var model = new CartPoleModel(parameters);
        var random = new SeededRandom(11);
        var analytic = new float[8];
        for (int sample = 0; sample < 500; sample++)
        {
            var state = new CartPoleState(random.NextUniform(-0.3f, 0.3f), random.NextUniform(-2f, 2f), random.NextUniform(-4f, 4f), random.NextUniform(-10f, 10f));
            float force = random.NextUniform(-10f, 10f);
            model.AccelerationDerivatives(ref state, force, analytic);
            for (int variable = 0; variable < 4; variable++)
            {
                // Central differences of a double-precision evaluation of the same equations (the
                // float model's polynomial sin and cos would add their own error to a finite difference).
                const double h = 1e-5;
                (double xPlus, double thetaPlus) = ReferenceAccelerations(parameters, state, force, variable, h);
                (double xMinus, double thetaMinus) = ReferenceAccelerations(parameters, state, force, variable, -h);
                AssertClose((xPlus - xMinus) / (2 * h), analytic[variable], $"d xDDot / d variable {variable} at {Format(state)}, F = {force}");
                AssertClose((thetaPlus - thetaMinus) / (2 * h), analytic[4 + variable], $"d thetaDDot / d variable {variable} at {Format(state)}, F = {force}");
            }
        }
    }

    [TestMethod]
    public void TheProjectionIsPositiveSemidefiniteAndLeavesPositiveSemidefiniteMatricesAlone()
    {
        var random = new Random(3);
        var scratch = new float[5 * 5 + 5];
        for (int trial = 0; trial < 300; trial++)
        {
            int size = 2 + trial % 4;
            var matrix = new float[size * size];
            for (int i = 0; i < size; i++)
            {
                for (int j = i; j < size; j++)
                {
                    matrix[i * size + j] = matrix[j * size + i] = (float)(4 * random.NextDouble() - 2);
                }
            }

            PositiveSemidefiniteProjection.Project(matrix, size, size, scratch);
            double scale = 0;
            foreach (float value in matrix)
            {
                scale = Math.Max(scale, Math.Abs(value));
            }

            for (int probe = 0; probe < 20; probe++)
            {
                var x = new double[size];
                for (int i = 0; i < size; i++)
                {
                    x[i] = 2 * random.NextDouble() - 1;
                }

                // x'Ax >= 0 up to float rounding of the rebuilt matrix.
                Assert.IsTrue(QuadraticForm(matrix, x) >= -1e-5 * (scale + 1), $"trial {trial}: x'Ax = {QuadraticForm(matrix, x)}");
            }

            // Projecting a positive semidefinite matrix changes nothing (beyond rounding).
            var again = (float[])matrix.Clone();
            PositiveSemidefiniteProjection.Project(again, size, size, scratch);
            for (int i = 0; i < matrix.Length; i++)
            {
                Assert.AreEqual(matrix[i], again[i], 1e-5f * (float)(scale + 1), $"trial {trial}, entry {i}");
            }
        }

        // A known case: diag(2, -1) rotated by 45 degrees projects to diag(2, 0) rotated the same way.
        var rotated = new float[] { 0.5f, 1.5f, 1.5f, 0.5f };
        PositiveSemidefiniteProjection.Project(rotated, 2, 2, scratch);
        CollectionAssert.AreEqual(new[] { 1f, 1f, 1f, 1f }, rotated, new ToleranceComparer(1e-5f));
    }

    [TestMethod]
    public void TheDmControlCostsExactDerivativesMatchCentralDifferences()
    {
        // The reward cost alone, and wrapped with the LQR terminal value (whose terminal derivatives
        // switch to 2Ps where the LQR value is the lower term).
        var parameters = RigProfiles.DmControl().CopyParameters();
        var model = new CartPoleModel(parameters);
        var reward = new DmControlRewardCost(parameters.TrackHalfLengthMeters);
        var weights = new float[5];
        DmControlRewardCost.QuadraticWeights(weights);
        var lqr = new EmbeddedMpc.Core.Policies.LinearQuadraticRegulator(model, RigProfiles.DmControl().CopyMotor(), 0.02f, [weights[0], weights[1], weights[2], weights[3]], weights[4]);
        // Weight 0.01: with the reward cost's own weights the LQR value is 10 to 100 times the reward's
        // terminal near upright (it sums the whole infinite horizon), so at weight 1 it would never be the lower term.
        const float lqrWeight = 0.01f;
        var wrapped = new LqrTerminalCost(reward, lqr, lqrWeight);
        var random = new SeededRandom(21);
        var gradient = new float[5];
        var hessian = new float[25];
        int lqrBranchChecks = 0;
        foreach (ICost cost in new ICost[] { reward, wrapped })
        {
            var derivatives = (ICostDerivatives)cost;
            for (int sample = 0; sample < 300; sample++)
            {
                // Near rest upright half of the time (where the LQR term takes over), anywhere otherwise:
                // x up to the track end, inside the penalty's margin too.
                bool near = sample % 2 == 0;
                var state = near
                    ? new CartPoleState(random.NextUniform(-0.3f, 0.3f), random.NextUniform(-0.3f, 0.3f), random.NextUniform(-0.3f, 0.3f), random.NextUniform(-0.5f, 0.5f))
                    : new CartPoleState(random.NextUniform(-1.7f, 1.7f), random.NextUniform(-2f, 2f), random.NextUniform(-3.1f, 3.1f), random.NextUniform(-6f, 6f));
                float action = random.NextUniform(-0.85f, 0.85f); // the control factor has a kink at |u| = 1
                if (Math.Abs(Math.Abs(state.X) - 0.75f * parameters.TrackHalfLengthMeters) < 0.1f)
                {
                    continue; // the track penalty starts with a kink at 3/4 of the track: no differences across it
                }

                for (int terminal = 0; terminal < 2; terminal++)
                {
                    float inner = reward.TerminalCost(ref state);
                    float value = lqrWeight * lqr.Value(ref state);
                    if (terminal == 1 && cost == wrapped && Math.Min(inner, value) > 0.5f * Math.Max(inner, value))
                    {
                        continue; // the terminal is the lower of two terms: test only where one is clearly lower
                    }

                    lqrBranchChecks += terminal == 1 && cost == wrapped && value < inner ? 1 : 0;

                    Assert.IsTrue(terminal == 1
                        ? derivatives.TerminalCostDerivatives(ref state, gradient, hessian)
                        : derivatives.StageCostDerivatives(ref state, action, gradient, hessian));
                    int count = terminal == 1 ? 4 : 5;
                    double Cost(int i, double di, int j, double dj)
                    {
                        var z = new double[] { state.X, state.XDot, state.Theta, state.ThetaDot, action };
                        if (i >= 0) z[i] += di;
                        if (j >= 0) z[j] += dj;
                        var probe = new CartPoleState((float)z[0], (float)z[1], (float)z[2], (float)z[3]);
                        return terminal == 1 ? cost.TerminalCost(ref probe) : cost.StageCost(ref probe, (float)z[4]);
                    }

                    // Step 3e-2: the float costs (up to about 5) round at 5e-7, which a second difference
                    // divides by 4h^2; the truncation error at this step is below 1e-4 here.
                    const double h = 3e-2;
                    for (int i = 0; i < count; i++)
                    {
                        double slope = (Cost(i, h, -1, 0) - Cost(i, -h, -1, 0)) / (2 * h);
                        AssertCloseLoose(slope, gradient[i], $"{cost.GetType().Name} {(terminal == 1 ? "terminal" : "stage")} d/dz{i} at {Format(state)}, u {action}");
                        for (int j = 0; j < count; j++)
                        {
                            double curvature = (Cost(i, h, j, h) - Cost(i, h, j, -h) - Cost(i, -h, j, h) + Cost(i, -h, j, -h)) / (4 * h * h);
                            AssertCloseLoose(curvature, hessian[i * 5 + j], $"{cost.GetType().Name} {(terminal == 1 ? "terminal" : "stage")} d2/dz{i}dz{j} at {Format(state)}, u {action}");
                        }
                    }
                }
            }
        }

        Assert.IsTrue(lqrBranchChecks > 20, $"the LQR value's derivatives were checked at only {lqrBranchChecks} states");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void IlqrLowersTheCostEveryCallAndReportsTheCostOfThePlanItReturns(bool exactCostDerivatives)
    {
        CartPoleRollout rollout = Rollout();
        var optimizer = new IterativeLqrOptimizer(new IterativeLqrSettings { Horizon = rollout.KnotCount, Iterations = 1, UseExactCostDerivatives = exactCostDerivatives }, rollout);
        var start = new CartPoleState(0f, 0f, 0.2f, 0f);
        var plan = new float[rollout.KnotCount];
        float previous = rollout.RolloutCost(ref start, plan, 0, plan.Length);
        for (int call = 0; call < 5; call++)
        {
            float reported = optimizer.Optimize(ref start, plan);
            Assert.AreEqual(rollout.RolloutCost(ref start, plan, 0, plan.Length), reported, 1e-4f * Math.Abs(reported), "the reported cost is the evaluator's score of the returned plan");
            Assert.IsTrue(reported <= previous, $"call {call}: cost rose from {previous} to {reported}");
            previous = reported;
        }

        // From 0.2 rad with a zero plan the pole falls (cost 33.8); iLQR's plan catches it (measured: 2.7 after
        // three calls); a quarter of the falling cost leaves room for other machines' rounding.
        Assert.IsTrue(previous < 0.25f * rollout.RolloutCost(ref start, new float[plan.Length], 0, plan.Length), $"final cost {previous}");
    }

    [TestMethod]
    public void IlqrKeepsEveryActionWithinItsBounds()
    {
        CartPoleRollout rollout = Rollout();
        var optimizer = new IterativeLqrOptimizer(new IterativeLqrSettings { Horizon = rollout.KnotCount, Iterations = 5, ActionMin = -0.3f, ActionMax = 0.3f }, rollout);
        var start = new CartPoleState(0f, 0f, 1.0f, 1f);
        var plan = new float[rollout.KnotCount];
        plan[0] = 0.9f; // outside the bounds on entry: clamped before use
        optimizer.Optimize(ref start, plan);
        foreach (float action in plan)
        {
            Assert.IsTrue(action >= -0.3f && action <= 0.3f, $"action {action}");
        }

        Assert.IsTrue(Array.Exists(plan, a => Math.Abs(a) > 0.29f), "a falling pole needs the full bounded action somewhere");
    }

    [TestMethod]
    public void IlqrCountsTheModelStepsOfEveryForwardPassWithinItsBudget()
    {
        CartPoleRollout rollout = Rollout();
        var settings = new IterativeLqrSettings { Horizon = rollout.KnotCount, Iterations = 2, LineSearchSteps = 4 };
        var optimizer = new IterativeLqrOptimizer(settings, rollout);
        var start = new CartPoleState(0f, 0f, FloatMath.Pi, 0.01f);
        var plan = new float[rollout.KnotCount];
        for (int call = 0; call < 10; call++)
        {
            long before = rollout.ModelStepCount;
            optimizer.Optimize(ref start, plan);
            long steps = rollout.ModelStepCount - before;
            // One rollout of the incoming plan, then at most LineSearchSteps forward passes per round.
            Assert.IsTrue(steps >= rollout.HorizonSteps && steps <= (1 + settings.Iterations * settings.LineSearchSteps) * rollout.HorizonSteps, $"call {call}: {steps} model steps");
        }
    }

    [TestMethod]
    public void IlqrRejectsRolloutsItCannotDifferentiateAndBadSettings()
    {
        var interpolated = new CartPoleRollout(DmControlModel(), new DmControlRewardCost(1.8f),
            new RolloutSettings { ModelStepSeconds = 0.04f, HorizonSteps = 30, StepsPerKnot = 3 }, null);
        var knots = Assert.ThrowsExactly<ArgumentException>(() => new IterativeLqrOptimizer(new IterativeLqrSettings { Horizon = interpolated.KnotCount }, interpolated));
        StringAssert.Contains(knots.Message, "StepsPerKnot");
        var horizon = Assert.ThrowsExactly<ArgumentException>(() => new IterativeLqrOptimizer(new IterativeLqrSettings { Horizon = 10 }, Rollout()));
        StringAssert.Contains(horizon.Message, "Horizon");
        var iterations = Assert.ThrowsExactly<ArgumentException>(() => new IterativeLqrOptimizer(new IterativeLqrSettings { Horizon = 30, Iterations = 0 }, Rollout()));
        StringAssert.Contains(iterations.Message, "Iterations");
    }

    [TestMethod]
    public void TheHybridNeverEndsAboveWhatItsSamplerFound()
    {
        CartPoleRollout rollout = Rollout();
        var sampler = new ImprovedCemOptimizer(new ImprovedCemSettings { Samples = 4, Iterations = 2, Elites = 2, Horizon = rollout.KnotCount, KnotsPerTick = 0.5f, Seed = 3 }, rollout);
        var hybrid = new SampleThenRefineOptimizer(sampler, new IterativeLqrOptimizer(new IterativeLqrSettings { Horizon = rollout.KnotCount, Iterations = 1 }, rollout));
        var start = new CartPoleState(0f, 0f, 2.5f, 0f);
        var plan = new float[rollout.KnotCount];
        int refinedLower = 0;
        for (int call = 0; call < 10; call++)
        {
            float cost = hybrid.Optimize(ref start, plan);
            Assert.IsTrue(cost <= hybrid.LastSampledCost, $"call {call}: refined {cost} > sampled {hybrid.LastSampledCost}");
            refinedLower += cost < hybrid.LastSampledCost ? 1 : 0;
        }

        Assert.IsTrue(refinedLower >= 5, $"iLQR improved the sampled plan in only {refinedLower} of 10 calls");
        Assert.ThrowsExactly<ArgumentException>(() => new SampleThenRefineOptimizer(sampler, new IterativeLqrOptimizer(new IterativeLqrSettings { Horizon = 20 }, Rollout(20))));
    }

    [TestMethod]
    public void ProcessNoiseIsAFixedScenarioThatChangesTheCostButNotBetweenCalls()
    {
        CartPoleRollout noisy = Rollout();
        noisy.UseProcessNoise(1f, 2f, seed: 5);
        CartPoleRollout clean = Rollout();
        var start = new CartPoleState(0f, 0f, 0.3f, 0f);
        var plan = new float[noisy.KnotCount];
        float first = noisy.RolloutCost(ref start, plan, 0, plan.Length);
        Assert.AreEqual(first, noisy.RolloutCost(ref start, plan, 0, plan.Length), "common random numbers: the same plan scores the same");
        Assert.AreNotEqual(clean.RolloutCost(ref start, plan, 0, plan.Length), first, "the noise moves the trajectory");
        Assert.ThrowsExactly<ArgumentException>(() => noisy.UseProcessNoise(-1f, 0f, 1));
    }

    /// <summary>Equations (1)-(2) of <see cref="CartPoleModel"/> in double precision, with one variable (xDot, theta, thetaDot, F) moved.</summary>
    private static (double XDDot, double ThetaDDot) ReferenceAccelerations(CartPoleParameters p, CartPoleState state, float force, int variable, double delta)
    {
        double xDot = state.XDot + (variable == 0 ? delta : 0);
        double theta = state.Theta + (variable == 1 ? delta : 0);
        double thetaDot = state.ThetaDot + (variable == 2 ? delta : 0);
        double f = force + (variable == 3 ? delta : 0);
        double totalMass = (double)p.CartMassKilograms + p.PoleMassKilograms;
        double massLength = (double)p.PoleMassKilograms * p.PivotToCenterOfMassMeters;
        double inertia = p.PoleInertiaAboutPivotKilogramSquareMeters;
        double coupling = massLength * Math.Cos(theta);
        double r1 = f - p.CartDampingNewtonSecondsPerMeter * xDot + massLength * Math.Sin(theta) * thetaDot * thetaDot;
        double r2 = massLength * p.GravityMetersPerSecondSquared * Math.Sin(theta) - p.PivotDampingNewtonMeterSecondsPerRadian * thetaDot;
        double determinant = totalMass * inertia - coupling * coupling;
        return ((inertia * r1 - coupling * r2) / determinant, (totalMass * r2 - coupling * r1) / determinant);
    }

    private static void AssertClose(double numeric, float analytic, string what)
    {
        // Float arithmetic in the model: a few float epsilons relative to the largest term.
        double tolerance = 1e-4 + 1e-4 * Math.Abs(numeric);
        Assert.IsTrue(Math.Abs(numeric - analytic) <= tolerance, $"{what}: analytic {analytic}, numeric {numeric}");
    }

    private static double QuadraticForm(float[] matrix, double[] x)
    {
        int size = x.Length;
        double sum = 0;
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j < size; j++)
            {
                sum += x[i] * matrix[i * size + j] * x[j];
            }
        }

        return sum;
    }

    private sealed class ToleranceComparer(float tolerance) : System.Collections.IComparer
    {
        public int Compare(object? a, object? b) => Math.Abs((float)a! - (float)b!) <= tolerance ? 0 : 1;
    }

    private static void AssertCloseLoose(double numeric, float exact, string what)
    {
        // Central differences of step 3e-2: float rounding of the cost divided by 4h^2 (about 1e-3)
        // plus truncation O(h^2) times the reward's higher derivatives.
        double tolerance = 5e-3 + 2e-3 * Math.Abs(numeric);
        Assert.IsTrue(Math.Abs(numeric - exact) <= tolerance, $"{what}: exact {exact}, numeric {numeric}");
    }

    private static string Format(CartPoleState s) => $"({s.X:F3}, {s.XDot:F3}, {s.Theta:F3}, {s.ThetaDot:F3})";
}
