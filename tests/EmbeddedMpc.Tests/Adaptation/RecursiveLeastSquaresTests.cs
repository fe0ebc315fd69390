using System;
using EmbeddedMpc.Core.Adaptation;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Adaptation;

[TestClass]
public sealed class RecursiveLeastSquaresTests
{
    [TestMethod]
    public void RecoversTheParametersOfANoiseFreeLinearRelation()
    {
        // y = 2 a - 0.5 b + 1.5 c from seeded Gaussian regressors, no noise. What is left of the prior (0) after n
        // equations at forgetting 0.99 is about 0.99^n of it over the information of some 100 equations: after 1000,
        // 4e-5 / 100, far under float round-off, so the estimate must be the truth to 1e-4.
        var leastSquares = new RecursiveLeastSquares(3, 0.99f, 0f, 1f, 1f);
        var random = new SeededRandom(11);
        var row = new float[3];
        for (int i = 0; i < 1000; i++)
        {
            row[0] = random.NextGaussian();
            row[1] = random.NextGaussian();
            row[2] = random.NextGaussian();
            Assert.IsTrue(leastSquares.Update(row, 2f * row[0] - 0.5f * row[1] + 1.5f * row[2]));
        }

        Assert.AreEqual(2f, leastSquares.Estimate(0), 1e-4f);
        Assert.AreEqual(-0.5f, leastSquares.Estimate(1), 1e-4f);
        Assert.AreEqual(1.5f, leastSquares.Estimate(2), 1e-4f);
        Assert.AreEqual(leastSquares.Covariance(0, 1), leastSquares.Covariance(1, 0), "P stays symmetric");
    }

    [TestMethod]
    public void RefusesEquationsBelowTheExcitationThresholdAndNonFiniteOnes()
    {
        var leastSquares = new RecursiveLeastSquares(2, 0.99f, 0.1f, 1f, 1f);
        Assert.IsFalse(leastSquares.Update(new[] { 0.05f, 0.05f }, 1f), "||phi|| = 0.07 is under the 0.1 threshold");
        Assert.IsFalse(leastSquares.Update(new[] { float.NaN, 1f }, 1f));
        Assert.IsFalse(leastSquares.Update(new[] { 1f, 1f }, float.PositiveInfinity));
        Assert.AreEqual(0, leastSquares.Updates);
        Assert.AreEqual(0f, leastSquares.Estimate(0));
        Assert.AreEqual(1f, leastSquares.Covariance(0, 0), "nothing forgotten either");
        Assert.IsTrue(leastSquares.Update(new[] { 0.1f, 0.1f }, 1f), "||phi|| = 0.14 passes");
    }

    [TestMethod]
    public void AnUnexcitedDirectionsVarianceStopsAtItsCeilingWithoutShrinkingTheOthers()
    {
        // Only the first parameter is ever excited; forgetting 0.9 would grow the second's variance by 1/0.9 per
        // equation without bound. It must stop at the ceiling (2 x the initial 1), and the first's variance
        // must be what plain RLS gives (a trace ceiling would have squeezed it).
        var leastSquares = new RecursiveLeastSquares(2, 0.9f, 0f, 1f, 2f);
        var plain = new RecursiveLeastSquares(1, 0.9f, 0f, 1f, 100f);
        for (int i = 0; i < 100; i++)
        {
            leastSquares.Update(new[] { 1f, 0f }, 3f);
            plain.Update(new[] { 1f }, 3f);
        }

        Assert.AreEqual(2f, leastSquares.Covariance(1, 1), 1e-5f);
        Assert.AreEqual(plain.Covariance(0, 0), leastSquares.Covariance(0, 0), 1e-6f);
        Assert.AreEqual(3f, leastSquares.Estimate(0), 1e-4f);
    }

    [TestMethod]
    public void TheEstimateIsProjectedIntoItsBox()
    {
        var leastSquares = new RecursiveLeastSquares(1, 1f, 0f, 1f, 1f);
        leastSquares.SetEstimate(0, 1f, 0.5f, 2f);
        for (int i = 0; i < 50; i++)
        {
            leastSquares.Update(new[] { 1f }, 10f); // the data say 10
        }

        Assert.AreEqual(2f, leastSquares.Estimate(0));
    }

    [TestMethod]
    [DataRow(nameof(AdaptationSettings.ForgettingFactor))]
    [DataRow(nameof(AdaptationSettings.FilterTimeConstantSeconds))]
    [DataRow(nameof(AdaptationSettings.ExcitationThreshold))]
    [DataRow(nameof(AdaptationSettings.CartEquationWeight))]
    [DataRow(nameof(AdaptationSettings.InitialRelativeStandardDeviation))]
    [DataRow(nameof(AdaptationSettings.CovarianceCeilingFactor))]
    [DataRow(nameof(AdaptationSettings.LowerRelativeBound))]
    [DataRow(nameof(AdaptationSettings.UpperRelativeBound))]
    public void ASettingOutOfRangeIsRejectedByName(string setting)
    {
        var settings = new AdaptationSettings();
        typeof(AdaptationSettings).GetProperty(setting)!.SetValue(settings, -1f);
        var error = Assert.ThrowsExactly<ArgumentException>(() => settings.Validate());
        StringAssert.Contains(error.Message + error.ParamName, setting);
    }

    [TestMethod]
    public void AModelWithIdentifiedParametersMovesLikeOneBuiltWithThem()
    {
        // SetIdentifiedParameters changes the model in place: it must then give the accelerations of a model
        // built from the same physical parameters (m kept, so M = total - m and l = (m l) / m).
        CartPoleParameters prior = RigProfiles.Esp32Rig().CopyParameters();
        var model = new CartPoleModel(prior);
        model.SetIdentifiedParameters(0.65f, 0.024f, 0.0081f, 3.1f, 3e-4f);

        CartPoleParameters expected = prior.Clone();
        expected.CartMassKilograms = 0.65f - prior.PoleMassKilograms;
        expected.PivotToCenterOfMassMeters = 0.024f / prior.PoleMassKilograms;
        expected.PoleInertiaAboutPivotKilogramSquareMeters = 0.0081f;
        expected.CartDampingNewtonSecondsPerMeter = 3.1f;
        expected.PivotDampingNewtonMeterSecondsPerRadian = 3e-4f;
        var fresh = new CartPoleModel(expected);
        var state = new CartPoleState(0.1f, -0.4f, 2.2f, 3.5f);
        model.Accelerations(ref state, 4f, out float xDDot, out float thetaDDot);
        fresh.Accelerations(ref state, 4f, out float expectedXDDot, out float expectedThetaDDot);
        Assert.AreEqual(expectedXDDot, xDDot, 1e-5f * MathF.Abs(expectedXDDot));
        Assert.AreEqual(expectedThetaDDot, thetaDDot, 1e-5f * MathF.Abs(expectedThetaDDot));
        Assert.AreEqual(0.65f - prior.PoleMassKilograms, model.Parameters.CartMassKilograms, 1e-6f);
    }
}
