using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.Firmware;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Firmware;

/// <summary>
/// The firmware as shipped reads the encoders as the pinned runtime's PCNT counts them: 3 counts per quadrature
/// cycle, where the rig profile's scales assume 4.
/// </summary>
[TestClass]
public sealed class EncoderCountingTests
{
    [TestMethod]
    public void ThePcntModel_CountsThreeOfACyclesFourEdges_TheSameInBothDirections()
    {
        // The channel set-up of the runtime's native pulse counter, edge by edge from a cycle's start
        // (FirmwareSettings.EncoderCountsPerQuadratureCycle): A rising 0, B rising +1, A falling +1, B falling +1.
        long[] forward = { 0, 0, 1, 2, 3, 3, 4, 5, 6 };
        for (int edges = 0; edges < forward.Length; edges++)
        {
            Assert.AreEqual(forward[edges], PcntCounts.ThreeOfFourEdges(edges), $"{edges} edges forward");
        }

        // Backward from the start the same edges undo the same counts: B rising with A low first (-1).
        long[] backward = { 0, -1, -2, -3, -3, -4, -5, -6, -6 };
        for (int edges = 0; edges < backward.Length; edges++)
        {
            Assert.AreEqual(backward[edges], PcntCounts.ThreeOfFourEdges(-edges), $"{edges} edges backward");
        }

        Assert.AreEqual(1800L, PcntCounts.ThreeOfFourEdges(2400), "one revolution of the 600-line pole encoder");
    }

    [TestMethod]
    public void TheFirmwaresStack_ReadsHalfAMetreAndOneRevolution_FromThePcntsCounts()
    {
        // Scenario: the firmware's rig stack, motor off (Idle), while by hand the cart moves 0.500 m toward +x and
        // the pole turns one revolution over 2 s (0.25 m/s, 3.1 rad/s: plausible speeds), each encoder read through
        // the PCNT's 3-of-4 counting: the scale check of hardware/rig-profile.md §8 on the firmware as shipped.
        Assert.AreEqual(3, FirmwareSettings.EncoderCountsPerQuadratureCycle, "the pinned runtime's PCNT counts 3 edges per cycle");
        RigProfile profile = RigProfiles.Esp32Rig();
        long cartEdges = (long)System.Math.Round(0.5 * profile.CartCountsPerMeter); // 5,610 edges
        long poleEdges = (long)profile.PoleCountsPerRevolution; // 2,400 edges
        var sensors = new HandMovedSensors();
        var motor = new IdleMotor();
        ControlLoop loop = EmbeddedMpc.Firmware.ControlStack.Build(profile, sensors, motor, new ManualClock());
        var record = new TelemetryRecord();
        const int ticks = 100;
        for (int tick = 0; tick <= ticks; tick++)
        {
            sensors.Reading.CartCount = PcntCounts.ThreeOfFourEdges(cartEdges * tick / ticks);
            sensors.Reading.PoleCount = PcntCounts.ThreeOfFourEdges(poleEdges * tick / ticks);
            loop.Tick(ref record);
        }

        Assert.AreEqual(SupervisorMode.Idle, loop.Supervisor.Mode, "no fault on the way (an encoder jump would be one)");
        loop.Estimator.ReadState(out CartPoleState state);
        // Within one count of the profile's x4 scales (89 µm, 2.6 mrad): the 3-of-4 counts are unevenly spaced
        // within a cycle; read at the wrong scale (4 per cycle) the figures would be 0.375 m and 4.71 rad.
        Assert.AreEqual(0.5, state.X, 1.0 / profile.CartCountsPerMeter, "cart travel, m");
        Assert.AreEqual(2 * System.Math.PI, state.Theta, 2 * System.Math.PI / profile.PoleCountsPerRevolution, "pole rotation, rad");
    }

    [TestMethod]
    public void TheFirmwaresStack_HomesSwingsUpAndBalances_OnThePcntsCounts()
    {
        // Scenario: the simulated esp32-rig (ideal plant, counting every edge), powered on off-centre with the pole
        // hanging, its encoders read through the PCNT's 3-of-4 counting into the firmware's rig stack as built on the
        // board (icem-esp32, seed 1), start pressed: homing, swing-up and balance within 20 s (homing takes about 7 s,
        // the swing-up about 3 s), the last 5 s all in Balance.
        Assert.AreEqual(3, FirmwareSettings.EncoderCountsPerQuadratureCycle, "the pinned runtime's PCNT counts 3 edges per cycle");
        SupervisorMode[] pcnt = RunFromPowerOn(rig => new PcntCounts.ThreeOfFourSensors(rig), ticks: 1000);
        Assert.AreEqual(SupervisorMode.Balance, pcnt[^1], "the mode after 20 s");
        for (int tick = pcnt.Length - 250; tick < pcnt.Length; tick++)
        {
            Assert.AreEqual(SupervisorMode.Balance, pcnt[tick], $"tick {tick}: the pole stays up");
        }

        // The check can fail: the same firmware on a runtime that counts all 4 edges (every distance and angle
        // 4/3 of the truth) never balances.
        SupervisorMode[] everyEdge = RunFromPowerOn(rig => rig, ticks: 1000);
        Assert.AreNotEqual(SupervisorMode.Balance, everyEdge[^1], "a firmware scaled for 3 edges, fed 4, must not balance");
    }

    // Ticks the firmware's rig stack on a simulated rig (seed 1, powered on) through the given sensors; the modes, one per tick.
    private static SupervisorMode[] RunFromPowerOn(System.Func<RigHardware, IRigSensors> readThrough, int ticks)
    {
        var settings = new RunSettings { Planner = FirmwareSettings.Planner().Name, Seed = 1, StartHomed = false };
        RigProfile profile = RigProfiles.Esp32Rig();
        RigHardware rig = ControlledRig.CreateRig(settings, profile, startHomed: false);
        ControlLoop firmware = EmbeddedMpc.Firmware.ControlStack.Build(profile, readThrough(rig), rig, new ManualClock());
        firmware.Supervisor.AutoStart = true;
        firmware.Supervisor.RequestStart();
        int substeps = ControlledRig.SubstepsPerControlPeriod(profile);
        var modes = new SupervisorMode[ticks];
        var record = new TelemetryRecord();
        for (int tick = 0; tick < ticks; tick++)
        {
            firmware.Tick(ref record);
            modes[tick] = record.Mode;
            for (int s = 0; s < substeps; s++)
            {
                rig.Step();
            }
        }

        return modes;
    }

    private sealed class HandMovedSensors : IRigSensors
    {
        public SensorReading Reading;

        public void Read(ref SensorReading reading) => reading = Reading;
    }

    private sealed class IdleMotor : IMotorDriver
    {
        public void SetDuty(float signedDuty)
        {
        }
    }
}
