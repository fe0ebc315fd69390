using System;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Plants;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Plants;

/// <summary>A profile's own Coulomb friction (e.g. identified) is part of the rig on the realistic plant, under the level's.</summary>
[TestClass]
public sealed class ProfileFrictionTests
{
    private static RigProfile WithCartFriction(float newtons)
    {
        RigProfile rig = RigProfiles.Esp32Rig();
        CartPoleParameters p = rig.CopyParameters();
        p.CartCoulombFrictionNewtons = newtons;
        return new RigProfile(rig.Name, rig.Description, p, rig.CopyMotor(), rig.CartCountsPerMeter, rig.PoleCountsPerRevolution,
            rig.ControlPeriodSeconds, rig.LimitSwitchOffsetMeters, rig.EndStopOffsetMeters);
    }

    [TestMethod]
    public void TheProfilesCoulombFrictionHoldsAndSlowsTheCartLikeTheLevelsDoes()
    {
        // Scenario: the pole hanging, no reality effects, the profile's 0.4 N of cart friction (no stiction
        // of its own). 0.35 N for 1 s moves nothing; 0.55 N slides the cart at about (0.55 - 0.4) / 2.5 N·s/m
        // = 0.06 m/s (the viscous damping), where the same force without friction reaches some 0.2 m/s.
        var stuck = new RealisticPlant(WithCartFriction(0.4f), RealityEffects.None, new CartPoleState(0f, 0f, MathF.PI, 0f));
        var sliding = new RealisticPlant(WithCartFriction(0.4f), RealityEffects.None, new CartPoleState(0f, 0f, MathF.PI, 0f));
        for (int step = 0; step < 1000; step++)
        {
            stuck.Step(0.35f);
            sliding.Step(0.55f);
        }

        Assert.AreEqual(0.0, stuck.PreciseState.X, "a force below the profile's friction moves nothing");
        Assert.IsTrue(sliding.PreciseState.XDot > 0.03 && sliding.PreciseState.XDot < 0.07, $"xDot {sliding.PreciseState.XDot}");
    }
}
