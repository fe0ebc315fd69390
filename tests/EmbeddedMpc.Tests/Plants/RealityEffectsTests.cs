using System;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Plants;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Plants;

/// <summary>
/// Each effect of the realistic rig is present and measurable on its own: friction and stiction on the
/// cart (with the normal force) and at the pivot, PWM steps, dead zone and asymmetry, supply, electrical
/// lag, sensor latency and the random force; and without effects the realistic plant is the ideal one.
/// </summary>
[TestClass]
public sealed class RealityEffectsTests
{
    private static readonly RigProfile s_rig = RigProfiles.Esp32Rig();
    private static readonly CartPoleState s_hanging = new(0f, 0f, MathF.PI, 0f);

    [TestMethod]
    public void WithoutEffectsTheRealisticPlantFollowsTheIdealOne()
    {
        // Written apart from the Core's model (double, semi-implicit Euler at 0.1 ms against float RK4 at
        // 1 ms): the two must agree when there is no friction to tell them apart.
        var start = new CartPoleState(0.02f, 0.4f, 2.8f, -1.5f);
        var realistic = new RealisticPlant(s_rig, RealityEffects.None, start);
        var ideal = new IdealPlant(s_rig, start);
        double worst = 0;
        for (int step = 0; step < 1000; step++)
        {
            float force = 4f * MathF.Sin(step * 0.01f);
            realistic.Step(force);
            ideal.Step(force);
            worst = Math.Max(worst, Math.Abs(realistic.PreciseState.Theta - ideal.State.Theta));
        }

        // Euler's first-order error at 0.1 ms over a 1 s swing is of order 1e-3 rad; a wrong sign or
        // coefficient in (1)-(2) gives tenths of a radian.
        Assert.IsTrue(worst < 5e-3, $"largest angle gap {worst:E2} rad");
    }

    [TestMethod]
    public void StictionHoldsTheCartUnderAForceBelowItAndKineticFrictionSlowsItAfter()
    {
        var effects = new RealityEffects { CartCoulombNewtons = 0.4, CartStictionNewtons = 0.5 };
        var held = new RealisticPlant(s_rig, effects, s_hanging);
        var pushed = new RealisticPlant(s_rig, effects, s_hanging);
        for (int step = 0; step < 1000; step++)
        {
            held.Step(0.45f);    // above the kinetic 0.4 N, below the static 0.5 N
            pushed.Step(0.55f);  // above the static friction
        }

        Assert.AreEqual(0.0, held.PreciseState.X, "a force below stiction moves nothing");
        // Sliding, the net force is 0.55 - 0.4 N less the viscous 2.5 N·s/m: about 0.06 m/s after 1 s.
        Assert.IsTrue(pushed.PreciseState.XDot > 0.03 && pushed.PreciseState.XDot < 0.07, $"xDot {pushed.PreciseState.XDot}");
    }

    [TestMethod]
    public void StictionHoldsTheCartAtASmallDutyThatMovesTheIdealRig()
    {
        // 0.09 duty: 0.032 effective after the 0.06 dead zone, 0.40 N at standstill, under 0.5 N of stiction.
        var effects = new RealityEffects { CartCoulombNewtons = 0.4, CartStictionNewtons = 0.5, DeadZoneDuty = 0.06 };
        var real = new RigHardware(s_rig, new RealisticPlant(s_rig, effects, s_hanging), countsZeroAtOrigin: true, reality: effects);
        var ideal = new RigHardware(s_rig, s_hanging, countsZeroAtOrigin: true);
        real.SetDuty(0.09f);
        ideal.SetDuty(0.09f);
        for (int step = 0; step < 1000; step++)
        {
            real.Step();
            ideal.Step();
        }

        Assert.AreEqual(0f, real.Plant.State.X);
        // 0.40 N against 13.4 N·s/m of viscous and back-EMF damping: about 0.03 m/s, 0.029 m in 1 s.
        Assert.IsTrue(ideal.Plant.State.X > 0.015f, $"ideal x {ideal.Plant.State.X}");
    }

    [TestMethod]
    public void TheCartsFrictionFollowsTheNormalForceOfASwingingPole()
    {
        // Pole hanging and swinging through the bottom at w: the track carries (M + m) g + m l w^2.
        var effects = new RealityEffects { CartCoulombNewtons = 0.3, CartStictionNewtons = 0.3 };
        CartPoleParameters p = s_rig.CopyParameters();
        const float w = 6f;
        var plant = new RealisticPlant(s_rig, effects, new CartPoleState(0f, 0.5f, MathF.PI, w), stepSeconds: 1e-5);
        plant.Step(0f);
        double expected = (p.CartMassKilograms + p.PoleMassKilograms) * p.GravityMetersPerSecondSquared
            + p.PoleMassKilograms * p.PivotToCenterOfMassMeters * w * w;
        Assert.AreEqual(expected, plant.NormalForceNewtons, 0.01 * expected);
    }

    [TestMethod]
    public void PivotStictionKeepsThePoleOffItsRestAngle()
    {
        // 0.02 rad off hanging: gravity's torque m g l sin(0.02) = 3.9e-3 N·m, under 5e-3 N·m of stiction.
        var effects = new RealityEffects { PivotCoulombNewtonMeters = 4e-3, PivotStictionNewtonMeters = 5e-3 };
        var start = new CartPoleState(0f, 0f, MathF.PI - 0.02f, 0f);
        var stuck = new RealisticPlant(s_rig, effects, start);
        var free = new RealisticPlant(s_rig, RealityEffects.None, start);
        for (int step = 0; step < 500; step++)
        {
            stuck.Step(0f);
            free.Step(0f);
        }

        Assert.AreEqual(Math.PI - 0.02, stuck.PreciseState.Theta, 1e-6);
        Assert.IsTrue(Math.Abs(free.PreciseState.Theta - (Math.PI - 0.02)) > 0.01, $"free theta {free.PreciseState.Theta}");
    }

    [TestMethod]
    public void ThePwmAppliesElevenBitSteps()
    {
        var drive = new RealisticDrive(s_rig.CopyMotor(), new RealityEffects { PwmBits = 11 });
        Assert.AreEqual(Math.Round(0.3 * 2047) / 2047, drive.QuantizedDuty(0.3), 1e-15);
        // Two duties a fifth of a step apart land on the same step.
        Assert.AreEqual(drive.QuantizedDuty(0.5), drive.QuantizedDuty(0.5 + 0.2 / 2047));
        Assert.AreNotEqual(drive.QuantizedDuty(0.5), drive.QuantizedDuty(0.5 + 1.0 / 2047));
    }

    [TestMethod]
    public void TheDeadZoneAndTheWeakerDirectionShapeTheForce()
    {
        var drive = new RealisticDrive(s_rig.CopyMotor(), new RealityEffects { DeadZoneDuty = 0.1, DirectionAsymmetry = 0.2 });
        Assert.AreEqual(0.0, drive.Step(0.09, 0, 0.001), "inside the dead zone");
        double forward = drive.Step(0.5, 0, 0.001);
        double backward = drive.Step(-0.5, 0, 0.001);
        Assert.AreEqual(0.8, -backward / forward, 1e-9, "the negative direction gives 1 - 0.2 of the force");
    }

    [TestMethod]
    public void TheSupplyScalesAndSagsTheForce()
    {
        double Stall(RealityEffects effects) => new RealisticDrive(s_rig.CopyMotor(), effects).Step(1, 0, 0.001);
        double nominal = Stall(new RealityEffects());
        Assert.AreEqual(0.9, Stall(new RealityEffects { SupplyFactor = 0.9 }) / nominal, 1e-9);

        // Sag acts on the current of the step before: the second step at stall is 10 % down.
        var sagging = new RealisticDrive(s_rig.CopyMotor(), new RealityEffects { SupplySagAtStall = 0.1 });
        sagging.Step(1, 0, 0.001);
        Assert.AreEqual(0.9, sagging.Step(1, 0, 0.001) / nominal, 1e-9);
    }

    [TestMethod]
    public void TheCurrentLagsADutyStepByTheElectricalTimeConstant()
    {
        var lagging = new RealisticDrive(s_rig.CopyMotor(), new RealityEffects { ElectricalTimeConstantSeconds = 0.002 });
        double final = new RealisticDrive(s_rig.CopyMotor(), RealityEffects.None).Step(0.8, 0, 0.001);
        double first = lagging.Step(0.8, 0, 0.001);
        Assert.AreEqual(1 - Math.Exp(-0.5), first / final, 1e-9, "after 1 ms of a 2 ms lag");
    }

    [TestMethod]
    public void TheSensorsReportTheStateOfTheirLatencyAgo()
    {
        var effects = new RealityEffects { SensorLatencySeconds = 0.003 };
        var start = new CartPoleState(0f, 0.5f, MathF.PI, 0f);
        var rig = new RigHardware(s_rig, new RealisticPlant(s_rig, effects, start), countsZeroAtOrigin: true, reality: effects);
        var positions = new float[20];
        for (int step = 0; step < positions.Length; step++)
        {
            rig.Step();
            positions[step] = rig.Plant.State.X;
        }

        var reading = new SensorReading();
        rig.Read(ref reading);
        long threeStepsAgo = (long)Math.Round(positions[^4] * (double)s_rig.CartCountsPerMeter);
        Assert.AreEqual(threeStepsAgo, reading.CartCount);
        Assert.AreNotEqual(rig.CartCount, reading.CartCount, "the cart moved about 1.5 mm (17 counts) in those 3 ms");
    }

    [TestMethod]
    public void TheRandomForceHasTheDrawnSize()
    {
        var effects = new RealityEffects { DisturbanceForceNewtons = 0.2, NoiseSeed = 7 };
        var rig = new RigHardware(s_rig, new RealisticPlant(s_rig, effects, s_hanging), countsZeroAtOrigin: true, reality: effects);
        double sumOfSquares = 0;
        const int steps = 60000;
        for (int step = 0; step < steps; step++)
        {
            rig.Step();
            sumOfSquares += rig.RandomForceNewtons * rig.RandomForceNewtons;
        }

        // 60 s with a 0.2 s correlation time is about 150 independent samples: the RMS is within 20 %.
        double rms = Math.Sqrt(sumOfSquares / steps);
        Assert.IsTrue(rms > 0.16 && rms < 0.24, $"rms {rms:F3} N");
    }

    [TestMethod]
    public void EachSeedDrawsItsOwnSizesAroundTheLevelAndIdealDrawsNone()
    {
        Assert.IsTrue(RealityEffects.Draw(RealityLevel.Ideal, s_rig, 5).IsNone);
        RealityEffects first = RealityEffects.Draw(RealityLevel.Typical, s_rig, 1);
        Assert.AreEqual(first, RealityEffects.Draw(RealityLevel.Typical, s_rig, 1));
        Assert.AreNotEqual(first.CartCoulombNewtons, RealityEffects.Draw(RealityLevel.Typical, s_rig, 2).CartCoulombNewtons);

        // Typical cart friction: 3 % of the 12.5 N drive times [0.5, 1.5]; harsh 8 %.
        for (uint seed = 1; seed <= 50; seed++)
        {
            RealityEffects typical = RealityEffects.Draw(RealityLevel.Typical, s_rig, seed);
            RealityEffects harsh = RealityEffects.Draw(RealityLevel.Harsh, s_rig, seed);
            Assert.IsTrue(typical.CartCoulombNewtons >= 0.1875 && typical.CartCoulombNewtons <= 0.5625, $"seed {seed}");
            Assert.IsTrue(harsh.CartCoulombNewtons >= 0.5 && harsh.CartCoulombNewtons <= 1.5, $"seed {seed}");
            Assert.IsTrue(typical.CartStictionNewtons >= typical.CartCoulombNewtons);
            Assert.AreEqual(11, typical.PwmBits);
        }
    }

    [TestMethod]
    public void AnIdealRealityRunIsTheIdealPlantsRun()
    {
        var settings = new RunSettings { Seed = 2, DurationSeconds = 2, StartHomed = true };
        var simulation = new ControlledRig(settings with { Reality = RealityLevel.Ideal });
        Assert.IsInstanceOfType<IdealPlant>(simulation.Rig.Plant);
        Assert.IsNull(simulation.Rig.Reality);
        Assert.IsInstanceOfType<RealisticPlant>(new ControlledRig(settings with { Reality = RealityLevel.Typical }).Rig.Plant);
    }
}
