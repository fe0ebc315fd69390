using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Identification;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Identification;

/// <summary>System identification from simulated excitation logs, as a rig would record them.</summary>
[TestClass]
public sealed class IdentificationTests
{
    /// <summary>Runs `run --task excite` in process on the esp32-rig (whole encoder counts) and returns its log.csv lines.</summary>
    internal static (RunResult Run, string[] Lines) ExcitationLog(uint seed, double seconds, string profile = RigProfiles.Esp32RigName)
    {
        RunResult run = ClosedLoopRun.Execute(new RunSettings { Task = ControlTask.Excite, ProfileName = profile, Seed = seed, DurationSeconds = seconds });
        using var writer = new StringWriter();
        CsvLogWriter.Write(run, writer);
        return (run, writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray());
    }

    /// <summary>Adds white Gaussian noise of one encoder count (standard deviation) to the estimated positions, on top of the counts' quantization.</summary>
    private static void AddEncoderNoise(IdentificationLog log, RigProfile profile, int seed)
    {
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        foreach (LogSegment segment in log.Segments)
        {
            for (int i = 0; i < segment.Count; i++)
            {
                segment.X[i] += Gaussian() / profile.CartCountsPerMeter;
                segment.Theta[i] += Gaussian() * 2 * Math.PI / profile.PoleCountsPerRevolution;
            }
        }
    }

    /// <summary>Whether <paramref name="estimate"/> is one of the Coulomb frictions, whose true value on the ideal plant is 0 (no relative error).</summary>
    internal static bool IsCoulomb(ParameterEstimate estimate) => estimate.Name.Contains("Coulomb", StringComparison.Ordinal);

    /// <summary>
    /// On a plant without dry friction the fitted Coulomb terms are about 0: within 1 % of the largest force
    /// (cart) and 1 % of the pole's gravity torque (pivot), the size of friction that would not change a
    /// swing-up; the "typical" rig's are 3 % and 0.5 % of these, centred, so the cart's bound fails a fit that
    /// invents friction. The profile's values are 0 or that small.
    /// </summary>
    internal static void AssertNoCoulombFriction(IdentificationResult result, RigProfile truth)
    {
        CartPoleParameters p = truth.CopyParameters();
        double cartBound = 0.01 * p.MaxForceNewtons;
        double pivotBound = 0.01 * p.PoleMassKilograms * p.GravityMetersPerSecondSquared * p.PivotToCenterOfMassMeters;
        ParameterEstimate cart = result.Estimates.Single(e => e.Name == "cartCoulombFrictionNewtons");
        Assert.IsTrue(Math.Abs(cart.Value) < cartBound, $"F_c {cart.Value:G3} ± {cart.StandardError:G2} N on a plant without it");
        if (result.Estimates.SingleOrDefault(e => e.Name == "pivotCoulombFrictionNewtonMeters") is ParameterEstimate pivot)
        {
            Assert.IsTrue(Math.Abs(pivot.Value) < pivotBound, $"T_c {pivot.Value:G3} ± {pivot.StandardError:G2} N·m on a plant without it");
        }

        Assert.IsTrue(result.Profile.CopyParameters().CartCoulombFrictionNewtons < cartBound);
        Assert.IsTrue(result.Profile.CopyParameters().PivotCoulombFrictionNewtonMeters < pivotBound);
    }

    [TestMethod]
    [DataRow(1u)]
    [DataRow(2u)]
    [DataRow(3u)]
    public void SixtySecondsOfExcitation_RecoverEachIdentifiableParameterWithinFivePercent(uint seed)
    {
        RigProfile truth = RigProfiles.Esp32Rig();
        (RunResult run, string[] lines) = ExcitationLog(seed, 60);
        Assert.IsFalse(run.Metrics.LeftTrack, "the excitation keeps the cart on the usable track");
        Assert.AreEqual(0.0, run.Metrics.AllocatedBytesPerTick, "the excitation policy allocates nothing per tick");
        IdentificationLog log = IdentificationLog.Parse(lines, $"excite-seed{seed}.csv");
        AddEncoderNoise(log, truth, (int)seed);

        IdentificationResult result = SystemIdentifier.Identify([log], new IdentificationSettings { Prior = truth, Seed = seed });

        // The nominal values of the estimates are the plant's truth here (the prior is the true profile).
        // 5 %: the requirement. Measured errors are below 1.5 %: the largest, about -1 % on M + m,
        // is the simulator's own, which holds the back-EMF force for each 1 ms step (an effective mass
        // k·0.5 ms = 5 g lower), not noise.
        foreach (ParameterEstimate estimate in result.Estimates.Where(e => !IsCoulomb(e)))
        {
            double error = (estimate.Value - estimate.Nominal) / estimate.Nominal;
            Assert.IsTrue(Math.Abs(error) < 0.05, $"{estimate.Label}: {estimate.Value:G5} vs true {estimate.Nominal:G5} ({error:P2})");
            // A standard error is reported for each, and 60 s pin each down to 10 % (b_p, the weakest, measured 0.5 to 0.7 %).
            Assert.IsTrue(estimate.StandardError > 0 && estimate.StandardError < 0.10 * Math.Abs(estimate.Value), $"{estimate.Label}: standard error {estimate.StandardError:G3}");
        }

        AssertNoCoulombFriction(result, truth);
        Assert.AreEqual(10, result.Estimates.Count, "M+m, m l, J, b_p, b_c+k, F_c, deadband, and M, l, b_c given m and k (T_c only on request)");
    }

    [TestMethod]
    public void SixtySecondsOfExcitationOnTheQuanserIp02_RecoverEachParameterWithinFivePercent()
    {
        RigProfile truth = RigProfiles.QuanserIp02LongPendulum();
        (RunResult run, string[] lines) = ExcitationLog(1, 60, RigProfiles.QuanserIp02Name);
        Assert.IsFalse(run.Metrics.LeftTrack, "the excitation keeps the cart on the usable track");
        IdentificationLog log = IdentificationLog.Parse(lines, "excite-quanser-seed1.csv");
        AddEncoderNoise(log, truth, 1);

        IdentificationResult result = SystemIdentifier.Identify([log], new IdentificationSettings { Prior = truth, Seed = 1 });

        // 5 %: the requirement for every profile. Measured (seeds 1 to 3, without the added noise): within
        // 0.7 %, the largest the simulator's back-EMF hold on the masses; with the Savitzky-Golay
        // acceleration the fit used before, m l, J and b_p were 3.6, 5.3 and 5.7 % low, so this fails for it.
        foreach (ParameterEstimate estimate in result.Estimates.Where(e => !IsCoulomb(e)))
        {
            double error = (estimate.Value - estimate.Nominal) / estimate.Nominal;
            Assert.IsTrue(estimate.Identified, $"{estimate.Label}: standard error {estimate.StandardError:G3} of {estimate.Value:G4}");
            Assert.IsTrue(Math.Abs(error) < 0.05, $"{estimate.Label}: {estimate.Value:G5} vs true {estimate.Nominal:G5} ({error:P2})");
        }
    }

    [TestMethod]
    public void SixtySecondsOfExcitationOnDmControl_RecoverTheMassesAndInertia_AndLeaveThePivotDampingBelowTheirNoise()
    {
        // dm_control's cart-pole: exact positions (no encoders), a pole that turns over many times
        // (unwrapped angles of 100 rad and more), cart motion of ±0.75 m, dampings of 5e-4 and 2e-6.
        RigProfile truth = RigProfiles.DmControl();
        (_, string[] lines) = ExcitationLog(1, 60, RigProfiles.DmControlName);
        IdentificationLog log = IdentificationLog.Parse(lines, "excite-dm-control-seed1.csv");

        IdentificationResult result = SystemIdentifier.Identify([log], new IdentificationSettings { Prior = truth, Seed = 1 });
        ParameterEstimate Get(string name) => result.Estimates.Single(e => e.Name == name);

        // 5 %: the requirement; measured within 0.05 % (seeds 1 to 3). Before the positions were taken
        // relative to each window's centre, the unwrapped angle put m l and J 11 and 13 % low.
        foreach (string name in new[] { "totalMassKilograms", "poleMassLengthKilogramMeters", "poleInertiaAboutPivotKilogramSquareMeters" })
        {
            ParameterEstimate estimate = Get(name);
            double error = (estimate.Value - estimate.Nominal) / estimate.Nominal;
            Assert.IsTrue(estimate.Identified && Math.Abs(error) < 0.05, $"{estimate.Label}: {estimate.Value:G5} vs true {estimate.Nominal:G5} ({error:P2})");
        }

        // 2e-6 N·m·s/rad of pivot damping does not show in 60 s: the bootstrap's standard error exceeds the
        // true value (measured 3.3e-6). Whether the 50 % rule then calls the estimate unidentifiable depends
        // on where that noise puts it (seed 1 with the capsule inertia: 7.9e-6 ± 3.3e-6, called identified;
        // with the old cylinder inertia 350 to 1600 % and not); when it does, the profile keeps the prior's value.
        ParameterEstimate pivot = Get("pivotDampingNewtonMeterSecondsPerRadian");
        float truePivotDamping = truth.CopyParameters().PivotDampingNewtonMeterSecondsPerRadian;
        Assert.IsTrue(pivot.StandardError > truePivotDamping, $"b_p {pivot.Value:G3} ± {pivot.StandardError:G3}");
        if (!pivot.Identified)
        {
            Assert.AreEqual(truePivotDamping, result.Profile.CopyParameters().PivotDampingNewtonMeterSecondsPerRadian);
            StringAssert.Contains(string.Join("\n", result.Warnings), "b_p is not identifiable");
        }

        // The cart damping, 5e-4 N·s/m, is identified but only to a standard error of about 4 to 5 %
        // (errors of -5.2, -0.4, -2.6 % on seeds 1 to 3): 3 standard errors, not 5 %, is what it can meet.
        ParameterEstimate cart = Get("totalCartDampingNewtonSecondsPerMeter");
        Assert.IsTrue(cart.Identified && Math.Abs(cart.Value - cart.Nominal) < 3 * cart.StandardError, $"b_c + k: {cart.Value:G4} ± {cart.StandardError:G2} vs true {cart.Nominal:G4}");
    }

    [TestMethod]
    public void FromAThirtyPercentWrongPrior_TheIdentifiedModelPredictsHeldOutDataBetterThanThePrior()
    {
        RigProfile truth = RigProfiles.Esp32Rig();
        RigProfile wrong = LearnLoop.WrongProfile(truth, 0.3, seed: 4);
        (_, string[] lines) = ExcitationLog(4, 40);
        IdentificationLog log = IdentificationLog.Parse(lines, "excite.csv");

        IdentificationResult result = SystemIdentifier.Identify([log], new IdentificationSettings { Prior = wrong, HoldOutFraction = 0.2 });

        PredictionError identified = result.HeldOut.Single(e => e.Model == "identified");
        PredictionError nominal = result.HeldOut.Single(e => e.Model == "nominal");
        // A model 30 % off drifts by tens of mrad within 0.5 s of a swinging pole; the identified one by a few.
        // Half the prior's error leaves room for the seed while still failing for a fit that learnt nothing.
        Assert.IsTrue(identified.MultiStepPoleMilliradians < 0.5 * nominal.MultiStepPoleMilliradians, $"{identified} vs {nominal}");
        Assert.IsTrue(identified.MultiStepCartMillimeters < nominal.MultiStepCartMillimeters, $"{identified} vs {nominal}");
        Assert.AreEqual(Math.Round(0.2 * log.UsableRows), result.HeldOutSamples, 1, "the last 20 % of the usable rows are held out");
    }

    [TestMethod]
    public void Learn_FromAThirtyPercentWrongModel_SwingsUpWithinThreeRounds()
    {
        string directory = Path.Combine(Path.GetTempPath(), "embeddedmpc-learn-" + Guid.NewGuid().ToString("N"));
        try
        {
            IReadOnlyList<LearnRound> rounds = LearnLoop.Run(new LearnSettings { Seed = 1, ExciteFirst = false, Excitation = LearnExcitation.Multisine, ExciteSeconds = 20 }, directory);

            // Round 0 plans with the wrong model: it must fail, or the test would not show that learning helped.
            Assert.IsFalse(rounds[0].Success, "the 30 % wrong model swings up by itself; choose a seed where it does not");
            Assert.AreEqual(0.3, rounds[0].MaxAbsRelativeError, 1e-6);
            Assert.IsTrue(rounds[^1].Success, string.Join("; ", rounds.Select(r => $"round {r.Round}: {r.Success}, {r.MaxAbsRelativeError:P1}")));
            // Bound: three identification rounds (measured: one, 20 s of excitation).
            Assert.IsTrue(rounds[^1].Round <= 3, $"{rounds[^1].Round} rounds");
            Assert.IsTrue(rounds[^1].MaxAbsRelativeError < 0.05, $"final model {rounds[^1].MaxAbsRelativeError:P1} off");
            Assert.IsTrue(File.Exists(Path.Combine(directory, "round-1", "model.json")));
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [TestMethod]
    public void AProfileFile_RoundTripsEveryField()
    {
        RigProfile original = LearnLoop.WrongProfile(RigProfiles.QuanserIp02LongPendulum(), 0.3, seed: 9);
        RigProfile read = RigProfileFile.Parse(RigProfileFile.ToJson(original), "test");
        Assert.AreEqual(RigProfileFile.ToJson(original), RigProfileFile.ToJson(read));
        Assert.AreEqual(original.CopyMotor().DeadbandDuty, read.CopyMotor().DeadbandDuty);
        Assert.AreEqual(original.CopyParameters().PoleInertiaAboutPivotKilogramSquareMeters, read.CopyParameters().PoleInertiaAboutPivotKilogramSquareMeters);
    }

    [TestMethod]
    public void AProfileFileWithoutAField_IsRefusedNamingTheField()
    {
        string json = RigProfileFile.ToJson(RigProfiles.Esp32Rig()).Replace("\"gearRatio\"", "\"gearRatioX\"");
        var error = Assert.ThrowsExactly<ArgumentException>(() => RigProfileFile.Parse(json, "bad.json"));
        StringAssert.Contains(error.Message, "gearRatio");
        StringAssert.Contains(error.Message, "bad.json");
    }
}
