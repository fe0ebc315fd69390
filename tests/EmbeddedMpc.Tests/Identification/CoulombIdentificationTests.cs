using System;
using System.IO;
using System.Linq;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Identification;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Plants;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Identification;

/// <summary>Identification of the cart's Coulomb friction from excitation logs of the realistic plant.</summary>
[TestClass]
public sealed class CoulombIdentificationTests
{
    /// <summary>An excitation run on the esp32-rig with the typical reality drawn for <paramref name="seed"/>, as the identifier reads it.</summary>
    private static (RealityEffects Effects, IdentificationLog Log) RealisticExcitation(uint seed, double seconds, string[]? effectsKept)
    {
        var settings = new RunSettings
        {
            Task = ControlTask.Excite,
            Seed = seed,
            DurationSeconds = seconds,
            StartHomed = true,
            Reality = RealityLevel.Typical,
            RealityEffectsKept = effectsKept,
        };
        RunResult run = ClosedLoopRun.Execute(settings);
        using var writer = new StringWriter();
        CsvLogWriter.Write(run, writer);
        string[] lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        return (settings.ResolveReality(RigProfiles.Esp32Rig()), IdentificationLog.Parse(lines, $"excite-typical-seed{seed}.csv"));
    }

    [TestMethod]
    [DataRow(1u)]
    [DataRow(2u)]
    public void SixtySecondsOnARigWithCartFriction_RecoverItsCoulombForceWithinFifteenPercent(uint seed)
    {
        // Scenario: the realistic plant with the typical rig's cart friction alone (Coulomb with stiction
        // 1.2-1.4 times it, following the track's normal force), 60 s of excitation, the true profile as
        // prior and its dead zone as known (searched too, the dead zone takes part of the friction: measured
        // F_c 19 and 13 % low on these seeds, see IdentificationSettings.KnownDeadbandDuty). Measured: +4.3
        // and +1.9 %. The plant's friction is mu |N| with N the normal force, which the pole's swinging moves by
        // some ±10 % around the rig's weight; the model's is a constant F_c. 15 %: that variation plus the
        // bootstrap's spread (a few %), and well inside the ±50 % by which the draw varies between rigs, so a
        // fit that missed the friction (0) or doubled it fails.
        (RealityEffects effects, IdentificationLog log) = RealisticExcitation(seed, 60, ["cart-friction"]);
        IdentificationResult result = SystemIdentifier.Identify([log], new IdentificationSettings { Prior = RigProfiles.Esp32Rig(), Seed = seed, KnownDeadbandDuty = RigProfiles.Esp32Rig().CopyMotor().DeadbandDuty });

        ParameterEstimate coulomb = result.Estimates.Single(e => e.Name == "cartCoulombFrictionNewtons");
        double error = (coulomb.Value - effects.CartCoulombNewtons) / effects.CartCoulombNewtons;
        Assert.IsTrue(Math.Abs(error) < 0.15, $"F_c {coulomb.Value:G4} ± {coulomb.StandardError:G2} N vs the plant's {effects.CartCoulombNewtons:G4} N ({error:P1})");
        Assert.IsTrue(coulomb.Identified && coulomb.StandardError > 0, $"standard error {coulomb.StandardError:G3}");
        Assert.AreEqual((float)coulomb.Value, result.Profile.CopyParameters().CartCoulombFrictionNewtons, "the profile carries the identified friction");
    }

    [TestMethod]
    [DataRow(1u)]
    [DataRow(2u)]
    public void WithPivotFriction_SixtySecondsRecoverThePivotsCoulombTorqueWithinFifteenPercent(uint seed)
    {
        // Scenario: the typical rig's cart and pivot friction (each Coulomb with stiction), 60 s of
        // excitation, `identify --pivot-friction --deadband 0.06`. The pivot's 1 mN·m is 0.5 % of the
        // pole's gravity torque, yet the swinging pole shows it: measured T_c −2.8 and +4.8 %, F_c +6.1 and
        // +3.2 % (b_p, which shares a direction with T_c, −6 and −7 %). 15 %: as for the cart.
        (RealityEffects effects, IdentificationLog log) = RealisticExcitation(seed, 60, ["cart-friction", "pivot-friction"]);
        IdentificationResult result = SystemIdentifier.Identify([log], new IdentificationSettings
        {
            Prior = RigProfiles.Esp32Rig(),
            Seed = seed,
            FitPivotCoulomb = true,
            KnownDeadbandDuty = RigProfiles.Esp32Rig().CopyMotor().DeadbandDuty,
        });

        ParameterEstimate pivot = result.Estimates.Single(e => e.Name == "pivotCoulombFrictionNewtonMeters");
        double pivotError = (pivot.Value - effects.PivotCoulombNewtonMeters) / effects.PivotCoulombNewtonMeters;
        Assert.IsTrue(pivot.Identified && Math.Abs(pivotError) < 0.15, $"T_c {pivot.Value:G4} ± {pivot.StandardError:G2} N·m vs the plant's {effects.PivotCoulombNewtonMeters:G4} ({pivotError:P1})");
        ParameterEstimate cart = result.Estimates.Single(e => e.Name == "cartCoulombFrictionNewtons");
        double cartError = (cart.Value - effects.CartCoulombNewtons) / effects.CartCoulombNewtons;
        Assert.IsTrue(Math.Abs(cartError) < 0.15, $"F_c {cart.Value:G4} N vs the plant's {effects.CartCoulombNewtons:G4} ({cartError:P1})");
        Assert.AreEqual((float)pivot.Value, result.Profile.CopyParameters().PivotCoulombFrictionNewtonMeters, "the profile carries the identified torque");
    }

    [TestMethod]
    public void OnTheIdealPlant_TheCoulombForceIsAboutZero()
    {
        // Scenario: the ideal plant (no dry friction), 60 s of excitation, seed 5.
        (_, string[] lines) = IdentificationTests.ExcitationLog(5, 60);
        IdentificationResult result = SystemIdentifier.Identify([IdentificationLog.Parse(lines, "excite-ideal-seed5.csv")],
            new IdentificationSettings { Prior = RigProfiles.Esp32Rig(), Seed = 5, FitPivotCoulomb = true });
        IdentificationTests.AssertNoCoulombFriction(result, RigProfiles.Esp32Rig());
    }
}
