using System;
using EmbeddedMpc.Core.Adaptation;
using EmbeddedMpc.Core.Model;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Adaptation;

/// <summary>
/// The online adaptation on a known plant (<see cref="AdaptationRig"/>: the Core's equations with the esp32
/// rig's true parameters, encoder quantization and velocity noise): it converges when the data excite the
/// parameters, stays where it is when they do not, and stays in its box whatever the data.
/// </summary>
[TestClass]
public sealed class AdaptationConvergenceTests
{
    /// <summary>The esp32 rig believed with the cart 20 % heavy, the pole 20 % short and its inertia 25 % high.</summary>
    private static CartPoleParameters Believed()
    {
        CartPoleParameters p = RigProfiles.Esp32Rig().CopyParameters();
        p.CartMassKilograms *= 1.2f;
        p.PivotToCenterOfMassMeters *= 0.8f;
        p.PoleInertiaAboutPivotKilogramSquareMeters *= 1.25f;
        return p;
    }

    /// <summary>Two sines on the command: the hanging pole swings up to about 1 rad, the cart moves back and forth.</summary>
    private static float ShakingCommand(float t) => 0.35f * MathF.Sin(2f * MathF.PI * 0.8f * t) + 0.25f * MathF.Sin(2f * MathF.PI * 2.3f * t + 1f);

    private static float RelativeError(float estimate, float truth) => MathF.Abs(estimate - truth) / truth;

    [TestMethod]
    [DataRow(1u)]
    [DataRow(2u)]
    public void ConvergesToTheTrueParametersOfAShakenRig(uint seed)
    {
        // Scenario: 30 s of the shaking command on the esp32 rig, the model believed 17 % off in M + m, 20 % in
        // m l, 25 % in J and 56 % in J / (m l) (the pole's pendulum length, which sets its swing).
        var rig = new AdaptationRig(Believed(), seed);
        CartPoleParameters truth = rig.True;
        float trueTotal = truth.CartMassKilograms + truth.PoleMassKilograms;
        float trueMassLength = truth.PoleMassKilograms * truth.PivotToCenterOfMassMeters;
        float truePendulumLength = truth.PoleInertiaAboutPivotKilogramSquareMeters / trueMassLength;
        for (int tick = 0; tick < 1500; tick++)
        {
            rig.Tick(ShakingCommand(tick * rig.ControlPeriodSeconds));
        }

        CartPoleModel model = rig.Model;
        float inertia = model.Parameters.PoleInertiaAboutPivotKilogramSquareMeters;
        string found = $"M + m {model.TotalMassKilograms:F4} (true {trueTotal}), m l {model.PoleMassLengthKilogramMeters:F4} (true {trueMassLength}), J {inertia:F5} (true {truth.PoleInertiaAboutPivotKilogramSquareMeters}), b_c {model.Parameters.CartDampingNewtonSecondsPerMeter:F3}";
        // Measured: J / (m l) within 0.5 %, M + m within 2 %, m l and J each about 5 % low together, b_c within
        // 1 %. The common scale of m l and J is set by the cart equation's small m l term, and the noise in the
        // pole equation's regressor pulls both towards zero (errors in variables); their ratio, what the swing
        // depends on, is the sharp one. Thresholds: twice to four times the measured error, each far below the
        // prior's.
        Assert.IsTrue(RelativeError(inertia / model.PoleMassLengthKilogramMeters, truePendulumLength) < 0.02f, found);
        Assert.IsTrue(RelativeError(model.TotalMassKilograms, trueTotal) < 0.05f, found);
        Assert.IsTrue(RelativeError(model.PoleMassLengthKilogramMeters, trueMassLength) < 0.1f, found);
        Assert.IsTrue(RelativeError(inertia, truth.PoleInertiaAboutPivotKilogramSquareMeters) < 0.1f, found);
        Assert.IsTrue(RelativeError(model.Parameters.CartDampingNewtonSecondsPerMeter, truth.CartDampingNewtonSecondsPerMeter) < 0.1f, found);
        Assert.IsTrue(rig.Adaptation.UpdatedTicks > 1000, $"{rig.Adaptation.UpdatedTicks} ticks updated the model");
    }

    [TestMethod]
    public void ABalancedStillPoleWithSensorNoiseLeavesTheEstimateWhereItIs()
    {
        // Scenario: the pole stands exactly upright and still for 60 s, no command; the encoders jitter by one
        // count half the time and the speeds carry noise. Nothing here says anything about the parameters, so
        // the dead zone on the excitation must refuse every equation: the model stays bit for bit the prior.
        var rig = new AdaptationRig(Believed(), 5) { JitterProbability = 0.5f };
        rig.HoldUprightStill();
        CartPoleParameters prior = Believed();
        for (int tick = 0; tick < 3000; tick++)
        {
            rig.Tick(0f);
        }

        Assert.AreEqual(0, rig.Adaptation.UpdatedTicks);
        Assert.AreEqual(prior.PoleInertiaAboutPivotKilogramSquareMeters, rig.Model.Parameters.PoleInertiaAboutPivotKilogramSquareMeters);
        Assert.AreEqual(prior.CartMassKilograms + prior.PoleMassKilograms, rig.Model.TotalMassKilograms);

        // The same data without the dead zone: every equation is taken and the inertia moves on noise alone
        // (measured: 1.1 % in 60 s, and on without end), so the dead zone is what keeps it.
        var open = new AdaptationRig(Believed(), 5, new AdaptationSettings { ExcitationThreshold = 0f }) { JitterProbability = 0.5f };
        open.HoldUprightStill();
        for (int tick = 0; tick < 3000; tick++)
        {
            open.Tick(0f);
        }

        Assert.IsTrue(open.Adaptation.UpdatedTicks > 2000, $"{open.Adaptation.UpdatedTicks}");
        Assert.IsTrue(RelativeError(open.Model.Parameters.PoleInertiaAboutPivotKilogramSquareMeters, prior.PoleInertiaAboutPivotKilogramSquareMeters) > 0.003f,
            $"J {open.Model.Parameters.PoleInertiaAboutPivotKilogramSquareMeters} against {prior.PoleInertiaAboutPivotKilogramSquareMeters}");
    }

    [TestMethod]
    public void DataNoModelCanExplainKeepTheEstimateInItsBoxAndTheCovarianceUnderItsCeiling()
    {
        // Scenario: the adaptation believes a drive three times stronger than the rig's, so the cart equation
        // asks for a cart three times heavier than any in the box, while the pole equation stays consistent.
        // After 30 s of shaking every relative estimate is inside its box (M + m near the top) and no
        // variance is above its ceiling (0.3² by default).
        var settings = new AdaptationSettings();
        var rig = new AdaptationRig(RigProfiles.Esp32Rig().CopyParameters(), 3, settings, driveStrengthBelieved: 3f);
        for (int tick = 0; tick < 1500; tick++)
        {
            rig.Tick(ShakingCommand(tick * rig.ControlPeriodSeconds));
        }

        RecursiveLeastSquares estimate = rig.Adaptation.LeastSquares;
        float ceiling = settings.CovarianceCeilingFactor * settings.InitialRelativeStandardDeviation * settings.InitialRelativeStandardDeviation;
        for (int i = 0; i < estimate.Count; i++)
        {
            Assert.IsTrue(estimate.Estimate(i) >= 0f && estimate.Estimate(i) <= settings.UpperRelativeBound, $"parameter {i}: {estimate.Estimate(i)}");
            Assert.IsTrue(estimate.Covariance(i, i) <= ceiling * 1.0001f, $"variance {i}: {estimate.Covariance(i, i)} above {ceiling}");
        }

        // The data ask for three times the mass: the estimate runs to the top of its box (measured 1.99 of 2,
        // the projection holding it against every update) and no further.
        Assert.IsTrue(estimate.Estimate(CartPoleRegressor.TotalMass) > 0.9f * settings.UpperRelativeBound, $"M + m at {estimate.Estimate(CartPoleRegressor.TotalMass)} of the prior");
        Assert.IsTrue(float.IsFinite(rig.Model.TotalMassKilograms) && rig.Model.Parameters.CartMassKilograms > 0f);
    }
}
