using System;
using EmbeddedMpc.Core.Actuation;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Plants;
using EmbeddedMpc.HostSim.Simulation;
using EmbeddedMpc.Tests.Plants;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Core;

/// <summary>
/// The actuation's dry-friction feed-forward given the cart's speed: raised step by step while a command leaves the
/// cart at rest (stiction), up to its bound, and kept while the cart moves.
/// </summary>
[TestClass]
public sealed class BreakawayFeedForwardTests
{
    private const float AtRest = 0f;
    private const float Forward = 0.2f; // m/s, well above the rest speed

    private static ActuationSettings Esp32Settings() => ActuationSettings.ForProfile(RigProfiles.Esp32Rig());

    // The duty the actuator's documented law gives for the signed command v after the feed-forward: the dead zone's inverse.
    private static float ExpectedDuty(ActuationSettings settings, float shiftedCommand)
    {
        float deadband = settings.Motor.DeadbandDuty * settings.DeadbandCompensationFactor;
        float magnitude = deadband + (1f - deadband) * Math.Min(1f, Math.Abs(shiftedCommand));
        return shiftedCommand > 0f ? magnitude : -magnitude;
    }

    [TestMethod]
    public void ACommandThatLeavesTheCartAtRestRaisesTheFeedForwardStepByStepUpToItsBound()
    {
        // Scenario: stiction holds the cart under a command of 0.1 tick after tick. For the first ticks that is no
        // sign of stiction (the cart may just be reversing); from the BreakawayRestTicks-th tick on the feed-forward
        // rises by one step a tick until it reaches its bound, and the duty follows it.
        ActuationSettings settings = Esp32Settings();
        Assert.IsTrue(settings.BreakawayStepCommand > 0f && settings.MaxBreakawayCommand > settings.BreakawayStepCommand,
            "esp32-rig's drive has a dead zone, so it learns its breakaway");
        var actuator = new MotorActuator(settings);
        const float command = 0.1f;

        float expectedRise = 0f;
        for (int tick = 1; tick <= settings.BreakawayRestTicks + 20; tick++)
        {
            float duty = actuator.DutyFor(command, AtRest);
            if (tick >= settings.BreakawayRestTicks)
            {
                expectedRise = Math.Min(expectedRise + settings.BreakawayStepCommand, settings.MaxBreakawayCommand);
            }

            Assert.AreEqual(expectedRise, actuator.BreakawayCommand, 1e-6f, $"tick {tick}: learned rise");
            Assert.AreEqual(ExpectedDuty(settings, command + settings.DryFrictionFeedForwardCommand + expectedRise), duty, 1e-6f, $"tick {tick}: duty");
        }

        Assert.AreEqual(settings.MaxBreakawayCommand, actuator.BreakawayCommand, 1e-6f, "20 ticks at rest reach the bound and stop there");
    }

    [TestMethod]
    public void ACartPassingThroughRestAsItReversesIsNotTakenForStiction()
    {
        // Scenario: a swinging cart reverses every half period and reads as at rest for a tick or two each time. A
        // feed-forward that rose at each reversal would grow on a rig with little friction (on the typical plant it
        // cost 4 points of swing-ups); the count of ticks at rest starts again whenever the cart moves.
        ActuationSettings settings = Esp32Settings();
        var actuator = new MotorActuator(settings);
        for (int reversal = 0; reversal < 50; reversal++)
        {
            for (int tick = 1; tick < settings.BreakawayRestTicks; tick++)
            {
                actuator.DutyFor(0.5f, AtRest);
            }

            for (int tick = 0; tick < 10; tick++)
            {
                actuator.DutyFor(0.5f, reversal % 2 == 0 ? Forward : -Forward);
            }
        }

        Assert.AreEqual(0f, actuator.BreakawayCommand, "50 reversals, each shorter at rest than BreakawayRestTicks");
    }

    [TestMethod]
    public void ASmallCommandOnACartAtRestLeavesTheFeedForwardAsItIs()
    {
        // Scenario: a balanced pole with the cart still, the planner sending commands at the minimum: the cart is where
        // the planner wants it, and raising the feed-forward would kick it.
        ActuationSettings settings = Esp32Settings();
        var actuator = new MotorActuator(settings);
        for (int tick = 0; tick < 500; tick++)
        {
            actuator.DutyFor(tick % 2 == 0 ? settings.BreakawayMinimumCommand : -settings.BreakawayMinimumCommand, AtRest);
        }

        Assert.AreEqual(0f, actuator.BreakawayCommand);
    }

    [TestMethod]
    public void TheLearnedRiseIsKeptWhileTheCartMovesAndAFullCommandStaysFullDuty()
    {
        // Scenario: the cart broke away after the feed-forward rose to its bound. Moving, the rise stays part of the
        // feed-forward (the rig's friction has not changed), and a full command, such as the supervisor's braking
        // near the end of the track, is still exactly full duty.
        ActuationSettings settings = Esp32Settings();
        var actuator = new MotorActuator(settings);
        for (int tick = 0; tick < 100; tick++)
        {
            actuator.DutyFor(0.1f, AtRest);
        }

        float learned = actuator.BreakawayCommand;
        Assert.AreEqual(settings.MaxBreakawayCommand, learned, 1e-6f);

        float friction = settings.DryFrictionFeedForwardCommand + learned;
        Assert.AreEqual(ExpectedDuty(settings, 0.1f + friction), actuator.DutyFor(0.1f, Forward), 1e-6f, "moving: the learned rise still acts");
        for (int tick = 0; tick < 200; tick++)
        {
            actuator.DutyFor(0.1f, Forward);
        }

        Assert.AreEqual(learned, actuator.BreakawayCommand, "kept while moving");
        Assert.AreEqual(ExpectedDuty(settings, -0.1f - friction), actuator.DutyFor(-0.1f, Forward), 1e-6f, "in the command's direction");
        Assert.AreEqual(-1f, actuator.DutyFor(-1f, Forward), "full braking command");
        Assert.AreEqual(1f, actuator.DutyFor(1f, -Forward), "full braking command, other direction");
    }

    [TestMethod]
    public void TurningTheDriveOffForgetsTheLearnedRise()
    {
        // Scenario: the supervisor stops driving (idle, fault). A new start learns the breakaway anew rather than
        // starting with a rise learned, say, while a hand held the cart.
        ActuationSettings settings = Esp32Settings();
        var actuator = new MotorActuator(settings);
        for (int tick = 0; tick < 100; tick++)
        {
            actuator.DutyFor(0.1f, AtRest);
        }

        actuator.Off();

        Assert.AreEqual(0f, actuator.BreakawayCommand);
        Assert.AreEqual(ExpectedDuty(settings, 0.1f + settings.DryFrictionFeedForwardCommand), actuator.DutyFor(0.1f, AtRest), 1e-6f,
            "the first tick after Off is the fixed feed-forward's");
    }

    [TestMethod]
    public void AnIdealForceDriveReceivesTheCommandUnchangedAtAnySpeed()
    {
        // Scenario: the dm-control profile's drive is an ideal force source, no dead zone and no friction: neither the
        // cart's speed nor a cart at rest may change its command.
        var actuator = new MotorActuator(ActuationSettings.ForProfile(RigProfiles.DmControl()));
        foreach (float speed in new[] { -1f, -0.005f, 0f, 0.005f, 1f })
        {
            for (int tick = 0; tick < 20; tick++)
            {
                foreach (float command in new[] { -1f, -0.3f, -0.05f, 0.05f, 0.3f, 1f })
                {
                    Assert.AreEqual(command, actuator.DutyFor(command, speed), 1e-6f, $"command {command} at {speed} m/s");
                }
            }
        }
    }

    [TestMethod]
    [DataRow(nameof(ActuationSettings.BreakawayStepCommand), 0.25f)]
    [DataRow(nameof(ActuationSettings.BreakawayStepCommand), -0.01f)]
    [DataRow(nameof(ActuationSettings.MaxBreakawayCommand), 0.6f)]
    [DataRow(nameof(ActuationSettings.MaxBreakawayCommand), -0.01f)]
    [DataRow(nameof(ActuationSettings.BreakawayRestTicks), 0f)]
    [DataRow(nameof(ActuationSettings.RestSpeedMetersPerSecond), 0f)]
    [DataRow(nameof(ActuationSettings.RestSpeedMetersPerSecond), 1.5f)]
    [DataRow(nameof(ActuationSettings.BreakawayMinimumCommand), 0.6f)]
    [DataRow(nameof(ActuationSettings.BreakawayMinimumCommand), -0.01f)]
    public void ABreakawaySettingOutsideItsRangeIsRejectedByName(string setting, float value)
    {
        ActuationSettings settings = Esp32Settings();
        switch (setting)
        {
            case nameof(ActuationSettings.BreakawayStepCommand): settings.BreakawayStepCommand = value; break;
            case nameof(ActuationSettings.MaxBreakawayCommand): settings.MaxBreakawayCommand = value; break;
            case nameof(ActuationSettings.BreakawayRestTicks): settings.BreakawayRestTicks = (int)value; break;
            case nameof(ActuationSettings.RestSpeedMetersPerSecond): settings.RestSpeedMetersPerSecond = value; break;
            default: settings.BreakawayMinimumCommand = value; break;
        }

        var error = Assert.ThrowsExactly<ArgumentException>(() => new MotorActuator(settings));
        StringAssert.Contains(error.Message, setting);
    }

    [TestMethod]
    [DataRow(60u)]
    [DataRow(90u)]
    public void OnAHarshRigTheLearnedFeedForwardBreaksTheCartAwayWhereTheFixedOneCannot(uint seed)
    {
        // Scenario: the harsh realistic plant of these seeds has a cart stiction of 19 to 21 % of the largest force and
        // a supply of 0.86 to 0.90 of nominal; a planner starting a swing-up sends small commands such as 0.12. With the
        // fixed feed-forward that command holds the cart still for the whole second; learning the breakaway, the drive
        // moves it by centimetres within that second. The drive and plant are host-sim's, written apart from the Core.
        RigProfile profile = RigProfiles.Esp32Rig();
        RealityEffects effects = RealityEffects.Draw(RealityLevel.Harsh, profile, seed);

        ActuationSettings fixedSettings = ActuationSettings.ForProfile(profile);
        fixedSettings.BreakawayStepCommand = 0f;
        double fixedTravel = TravelUnderConstantCommand(profile, effects, new MotorActuator(fixedSettings), 0.12f, 1.0);
        double learnedTravel = TravelUnderConstantCommand(profile, effects, new MotorActuator(ActuationSettings.ForProfile(profile)), 0.12f, 1.0);

        // One encoder count is 0.09 mm: below a tenth of a millimetre the cart has not broken away.
        Assert.IsTrue(fixedTravel < 1e-4, $"seed {seed}: the fixed feed-forward moved the cart {fixedTravel:F5} m; the scenario no longer needs learning");
        // 2 cm: enough motion for the planner to see, and for its model's adaptation to learn from.
        Assert.IsTrue(learnedTravel > 0.02, $"seed {seed}: learning the breakaway moved the cart only {learnedTravel:F5} m");
    }

    // The cart's travel from rest, hanging pole, under `command` held for `seconds` through the actuator (fed the true
    // speed each 20 ms tick), the realistic drive and plant at 1 ms.
    private static double TravelUnderConstantCommand(RigProfile profile, RealityEffects effects, MotorActuator actuator, float command, double seconds)
    {
        var plant = new RealisticPlant(profile, effects, new CartPoleState(0f, 0f, MathF.PI, 0f));
        var drive = new RealisticDrive(profile.CopyMotor(), effects);
        int stepsPerTick = (int)Math.Round(profile.ControlPeriodSeconds / plant.StepSeconds);
        int ticks = (int)Math.Round(seconds / profile.ControlPeriodSeconds);
        double largest = 0;
        for (int tick = 0; tick < ticks; tick++)
        {
            float duty = actuator.DutyFor(command, plant.State.XDot);
            for (int step = 0; step < stepsPerTick; step++)
            {
                plant.Step((float)drive.Step(duty, plant.PreciseState.XDot, plant.StepSeconds));
            }

            largest = Math.Max(largest, Math.Abs(plant.PreciseState.X));
        }

        return largest;
    }

    [TestMethod]
    [DataRow(13u)]
    [DataRow(16u)]
    [DataRow(48u)]
    public void OnTheHarshPlantASwingUpThatStuckAtTheBottomNowStartsAndSucceeds(uint seed)
    {
        // Scenario: `bench` cell esp32-rig, icem-esp32-adapt, reality harsh, mismatch ±20 %, 1 tick of actuation
        // delay, started homed, 10 s. With the fixed feed-forward these seeds failed: the cart sat at the bottom for
        // seconds under commands of 0.05 to 0.17 that did not break its stiction, and the swing-up came too late.
        // Learning the breakaway, the cart moves within a few ticks and the pole is held upright in time.
        RunResult run = ClosedLoopRun.Execute(RobustnessCell.Run(seed, RealityLevel.Harsh));

        Assert.IsTrue(run.Metrics.Success, $"seed {seed}: fault {run.Metrics.Fault}, time to upright {run.Metrics.TimeToUprightSeconds}");
    }
}
