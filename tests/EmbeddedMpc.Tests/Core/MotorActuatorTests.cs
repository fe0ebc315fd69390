using System;
using EmbeddedMpc.Core.Actuation;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Plants;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Core;

/// <summary>The actuation's dead-zone compensation and dry-friction feed-forward.</summary>
[TestClass]
public sealed class MotorActuatorTests
{
    // The smallest command the actuator still sends (anything at or below MinimumCommand is sent as zero).
    private const float SmallestSentCommand = MotorActuator.MinimumCommand * 1.5f;

    [TestMethod]
    public void AnIdealForceDriveWithoutDeadZoneReceivesTheCommandUnchanged()
    {
        // Scenario: the dm-control profile's drive is an ideal force source with no dead zone and no dry friction;
        // a margin or feed-forward there would change the benchmark's dynamics.
        var actuator = new MotorActuator(ActuationSettings.ForProfile(RigProfiles.DmControl()));

        foreach (float command in new[] { -1f, -0.3f, -0.01f, 0.01f, 0.3f, 1f })
        {
            Assert.AreEqual(command, actuator.DutyFor(command), 1e-6f, $"command {command}");
        }
    }

    [TestMethod]
    [DataRow(RealityLevel.Typical)]
    [DataRow(RealityLevel.Harsh)]
    public void OnTheEsp32RigTheSmallestSentCommandClearsEveryDrawnDeadZone(RealityLevel level)
    {
        // Scenario: the realistic plant draws the drive's real dead zone per seed around the profile's figure (up to
        // 1.3 times it on the typical plant, 1.5 times on the harsh one). Compensating exactly the profile's figure
        // sends a small command as a duty inside the real dead zone on about half the seeds, and the cart does not
        // move; the default margin and feed-forward must put even the smallest sent command outside it on every seed.
        RigProfile profile = RigProfiles.Esp32Rig();
        var actuator = new MotorActuator(ActuationSettings.ForProfile(profile));
        float positive = actuator.DutyFor(SmallestSentCommand);
        actuator.Off();
        float negative = actuator.DutyFor(-SmallestSentCommand);

        for (uint seed = 1; seed <= 100; seed++)
        {
            double deadZone = RealityEffects.Draw(level, profile, seed).DeadZoneDuty;
            Assert.IsTrue(positive > deadZone && -negative > deadZone,
                $"seed {seed}: dead zone {deadZone:F4}, duties {positive:F4} / {negative:F4}");
        }
    }

    [TestMethod]
    public void TheDutyGrowsWithTheCommandAndReachesFullDutyAtFullCommand()
    {
        // Scenario: the feed-forward must not cost authority or reverse the order of commands; full command is full duty.
        var actuator = new MotorActuator(ActuationSettings.ForProfile(RigProfiles.Esp32Rig()));
        float previous = 0f;
        for (int i = 1; i <= 100; i++)
        {
            float duty = actuator.DutyFor(i / 100f);
            Assert.IsTrue(duty >= previous, $"command {i / 100f}: duty {duty} below {previous}");
            previous = duty;
        }

        Assert.AreEqual(1f, previous, 1e-6f);
        Assert.AreEqual(0f, actuator.DutyFor(MotorActuator.MinimumCommand), "a command at the minimum is sent as zero");
    }

    [TestMethod]
    [DataRow(nameof(ActuationSettings.DeadbandCompensationFactor), 2.5f)]
    [DataRow(nameof(ActuationSettings.DeadbandCompensationFactor), -0.1f)]
    [DataRow(nameof(ActuationSettings.DryFrictionFeedForwardCommand), 0.3f)]
    [DataRow(nameof(ActuationSettings.DryFrictionFeedForwardCommand), -0.01f)]
    public void ACompensationOutsideItsRangeIsRejectedByName(string setting, float value)
    {
        ActuationSettings settings = ActuationSettings.ForProfile(RigProfiles.Esp32Rig());
        if (setting == nameof(ActuationSettings.DeadbandCompensationFactor))
        {
            settings.DeadbandCompensationFactor = value;
        }
        else
        {
            settings.DryFrictionFeedForwardCommand = value;
        }

        var error = Assert.ThrowsExactly<ArgumentException>(() => new MotorActuator(settings));
        StringAssert.Contains(error.Message, setting);
    }
}
