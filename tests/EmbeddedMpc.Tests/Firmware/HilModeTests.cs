using System;
using System.Collections.Generic;
using System.Linq;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Hil;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.Firmware;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Firmware;

/// <summary>
/// The firmware's HIL mode without a board: the Core's <see cref="HilDevice"/> with the firmware's
/// HilController, driven frame by frame by a test host on a hand-set microsecond clock. It must follow
/// PROTOCOL.md's connection and timing rules and behave like host-sim's virtual device: one tick per
/// SensorReadings, answered MotorCommand first; Configuration whole or not at all; the link-loss rule
/// (2 P in real time, 1 s in lockstep) stopping the motor with Fault LinkLost; Heartbeats when idle.
/// </summary>
[TestClass]
public sealed class HilModeTests
{
    private const uint AllStreams = HelloMessage.FlagSendTickStatistics | HelloMessage.FlagSendTelemetry;
    private const uint LockstepAll = HelloMessage.FlagLockstep | AllStreams;
    private const long P = FirmwareSettings.ControlPeriodMicroseconds;

    [TestMethod]
    public void HelloIsAnsweredWithTheFirmwaresVersionPeriodAndTheFlagsItAccepts()
    {
        var bench = new HilBench();
        HelloAckMessage ack = bench.Hello(0xFFFFFFFFu);
        Assert.AreEqual(FrameLayout.ProtocolVersion, ack.ProtocolVersion);
        Assert.AreEqual((FirmwareSettings.VersionMajor, FirmwareSettings.VersionMinor, FirmwareSettings.VersionPatch), (ack.FirmwareMajor, ack.FirmwareMinor, ack.FirmwarePatch));
        Assert.AreEqual((uint)FirmwareSettings.ControlPeriodMicroseconds, ack.ControlPeriodMicroseconds);
        Assert.AreEqual(LockstepAll, ack.Flags, "lockstep and both streams, and none of the undefined bits");
        Assert.AreEqual(AllStreams, bench.Hello(AllStreams).Flags, "a new Hello replaces the connection's flags");
        Assert.AreEqual(2u, bench.Device.Sessions);
    }

    [TestMethod]
    public void EachSensorReadingsRunsOneTick_AnsweredMotorCommandFirst_InOneWrite_WithTheHostsTickIndex()
    {
        var bench = new HilBench();
        bench.Hello(LockstepAll);
        Assert.AreEqual(AckStatus.Accepted, bench.Command(DeviceCommand.Start));

        // The host numbers its ticks from 1000 here; the device's own loop counts from 0.
        for (uint k = 1000; k < 1005; k++)
        {
            List<SentFrame> answer = bench.Readings(k, HilBench.RestingReading());
            CollectionAssert.AreEqual(new[] { MessageType.MotorCommand, MessageType.TickStatistics, MessageType.Telemetry }, answer.Select(f => f.Type).ToArray());
            Assert.AreEqual(1, answer.Select(f => f.Write).Distinct().Count(), "the tick's answer leaves in one write");
            MotorCommandMessage command = answer[0].MotorCommand();
            TelemetryRecord record = answer[2].Telemetry().Record;
            Assert.AreEqual(k, command.TickIndex);
            Assert.AreEqual(k, answer[1].TickStatistics().TickIndex);
            Assert.AreEqual(k, record.TickIndex);
            Assert.AreEqual(SupervisorMode.Homing, record.Mode, "Start from Idle homes first: the host's simulated rig powers on unhomed");
            Assert.AreEqual(record.Duty, command.Duty);
            Assert.AreEqual(bench.Motor.Duty, command.Duty, "the MotorCommand carries the duty the loop set");
            Assert.AreNotEqual(0f, command.Duty, "homing drives the cart");
            Assert.AreEqual(record.ForceNewtons, command.ForceNewtons);
        }

        Assert.AreEqual(5u, bench.Device.TicksRun);
        bench.Hello(HelloMessage.FlagLockstep);
        Assert.AreEqual(SupervisorMode.Idle, bench.Device.Mode, "a Hello is a new rig behind the link: power-on state");
        Assert.AreEqual(0f, bench.Motor.Duty);
        CollectionAssert.AreEqual(new[] { MessageType.MotorCommand }, bench.Readings(0, HilBench.RestingReading()).Select(f => f.Type).ToArray(),
            "without the stream flags only the MotorCommand is sent");
    }

    [TestMethod]
    public void ARepeatedTickIndexIsAnsweredAgainWithoutRunningTheTick_OlderOnesAreIgnored_GapsAreCounted()
    {
        var bench = new HilBench();
        bench.Hello(LockstepAll);
        bench.Command(DeviceCommand.Start);
        List<SentFrame> first = bench.Readings(7, HilBench.RestingReading());
        List<SentFrame> retry = bench.Readings(7, HilBench.RestingReading());
        Assert.AreEqual(1u, bench.Device.TicksRun, "the host's retry does not run the tick again");
        Assert.AreEqual(1u, bench.Device.RepeatedReadings);
        CollectionAssert.AreEqual(first.Select(f => f.Payload).SelectMany(p => p).ToArray(), retry.Select(f => f.Payload).SelectMany(p => p).ToArray(),
            "the same answer, byte for byte");
        Assert.IsTrue(retry.All(f => first.All(g => g.Sequence != f.Sequence)), "sent again as new frames with new sequence numbers");

        Assert.AreEqual(0, bench.Readings(6, HilBench.RestingReading()).Count, "an older TickIndex is stale: no tick, no answer");
        Assert.AreEqual(1u, bench.Device.StaleReadings);

        List<SentFrame> afterGap = bench.Readings(10, HilBench.RestingReading());
        Assert.AreEqual(10u, afterGap[0].MotorCommand().TickIndex);
        Assert.AreEqual((1u, 2u), (bench.Device.ReadingGaps, bench.Device.ReadingsMissed));
        Assert.AreEqual(2u, bench.Device.TicksRun);
    }

    [TestMethod]
    public void AFrameDeliveredTwiceIsIgnoredTheSecondTime()
    {
        var bench = new HilBench();
        bench.Hello(LockstepAll);
        int length = bench.EncodeReadings(0, HilBench.RestingReading());
        bench.Deliver(length);
        bench.Deliver(length);
        Assert.AreEqual(1u, bench.Device.TicksRun);
        Assert.AreEqual(0u, bench.Device.RepeatedReadings, "a duplicate frame is dropped before it is read");
        Assert.AreEqual(1u, bench.Device.Decoder.DuplicateFrames);
    }

    [TestMethod]
    public void ConfigurationIsAppliedWholeInIdle_RefusedWhileRunning_AndAValueOutOfRangeChangesNothing()
    {
        var bench = new HilBench();
        bench.Hello(AllStreams);
        Assert.AreEqual(AckStatus.Accepted, bench.Configure(HilBench.FirmwareConfiguration()));

        // The firmware's limits: Samples x Horizon <= 4096 values (memory), and 640 model steps per 20 ms of
        // control period (its own planner's work): 16 x 40 x 1 = 640 is the most a 20 ms tick may ask.
        ConfigurationMessage large = HilBench.FirmwareConfiguration();
        large.Samples = 16;
        large.Horizon = 40;
        large.Iterations = 1;
        large.Elites = 4;
        large.Seed = 99;
        Assert.AreEqual(AckStatus.Accepted, bench.Configure(large), "16 x 40 x 1 = 640 model steps, the firmware's limit at 20 ms");
        Assert.AreEqual((16, 40, 4, 99u), (bench.Controller.Planner.Samples, bench.Controller.Planner.Horizon, bench.Controller.Planner.Elites, bench.Controller.Planner.Seed));

        var refused = new (string Why, Action<ConfigurationMessage[]> Change, AckDetail Detail, uint Limit)[]
        {
            ("4100 sample values, over the firmware's memory", c => { c[0].Samples = 100; c[0].Horizon = 41; }, AckDetail.PlannerMemory, 4096),
            ("8 x 40 x 3 = 960 model steps, over 640 per 20 ms tick", c => c[0].Iterations = 3, AckDetail.TickWork, 640),
            ("Elites above Samples", c => c[0].Elites = c[0].Samples + 1, AckDetail.Elites, 0),
            ("a negative pole mass", c => c[0].PoleMassKilograms = -1f, AckDetail.PoleMassKilograms, 0),
            ("NaN damping", c => c[0].CartDampingNewtonSecondsPerMeter = float.NaN, AckDetail.CartDampingNewtonSecondsPerMeter, 0),
            ("no cart encoder scale (the link carries counts)", c => c[0].CartCountsPerMeter = 0f, AckDetail.CartCountsPerMeter, 0),
            ("a 999 µs period", c => c[0].ControlPeriodMicroseconds = 999, AckDetail.ControlPeriodMicroseconds, 0),
            ("0 iterations", c => c[0].Iterations = 0, AckDetail.Iterations, 0),
        };
        foreach ((string why, Action<ConfigurationMessage[]> change, AckDetail detail, uint limit) in refused)
        {
            var configuration = new[] { HilBench.FirmwareConfiguration() };
            change(configuration);
            Assert.AreEqual(AckStatus.InvalidValue, bench.Configure(configuration[0]), why);
            Assert.AreEqual((detail, limit), (bench.LastAck.Detail, bench.LastAck.Limit), $"{why}: the Ack names what refused it");
            Assert.AreEqual(16, bench.Controller.Planner.Samples, $"{why}: the previous configuration stays whole");
        }

        // A 10 ms period halves the work a tick may ask: the firmware's 640 model steps no longer fit, 320 do.
        ConfigurationMessage faster = HilBench.FirmwareConfiguration();
        faster.ControlPeriodMicroseconds = 10_000;
        Assert.AreEqual(AckStatus.InvalidValue, bench.Configure(faster));
        Assert.AreEqual((AckDetail.TickWork, 320u), (bench.LastAck.Detail, bench.LastAck.Limit));
        faster.Horizon = 20;
        Assert.AreEqual(AckStatus.Accepted, bench.Configure(faster));
        Assert.AreEqual(10_000u, bench.Hello(AllStreams).ControlPeriodMicroseconds, "the HelloAck reports the configured period");
        Assert.AreEqual(20_000, bench.Device.Watchdog.LinkTimeoutMicroseconds, "the real-time link timeout is 2 P of the configured period");

        bench.Command(DeviceCommand.Start);
        bench.Readings(0, HilBench.RestingReading());
        Assert.AreEqual(SupervisorMode.Homing, bench.Device.Mode);
        Assert.AreEqual(AckStatus.WrongMode, bench.Configure(faster), "not while the motor may run");
        Assert.AreEqual(10_000u, bench.Controller.ControlPeriodMicroseconds);
        Assert.AreEqual((3u, (uint)refused.Length + 2), (bench.Device.ConfigurationsApplied, bench.Device.ConfigurationsRejected));
    }

    [TestMethod]
    public void Commands_StartStopReset_FollowTheRigsRules_AndStopTurnsTheMotorOffAtOnce()
    {
        var bench = new HilBench();
        bench.Hello(AllStreams);
        Assert.AreEqual(AckStatus.Accepted, bench.Command(DeviceCommand.Start));
        bench.Readings(0, HilBench.RestingReading());
        Assert.AreNotEqual(0f, bench.Motor.Duty);

        Assert.AreEqual(AckStatus.Accepted, bench.Command(DeviceCommand.Stop));
        Assert.AreEqual(0f, bench.Motor.Duty, "Stop: off now, not at the next reading");
        Assert.AreEqual(SupervisorMode.Idle, bench.Device.Mode, "stopped during homing: not homed");
        Assert.AreEqual(AckStatus.Unsupported, bench.Command((DeviceCommand)0x7F));

        SensorReading pressed = HilBench.RestingReading();
        pressed.EmergencyStopPressed = true;
        bench.Readings(1, pressed);
        Assert.AreEqual(SupervisorMode.Fault, bench.Device.Mode);
        Assert.AreEqual(AckStatus.WrongMode, bench.Command(DeviceCommand.Start), "Start is refused in Fault");
        Assert.AreEqual(AckStatus.Accepted, bench.Command(DeviceCommand.Reset));
        Assert.AreEqual(SupervisorMode.Idle, bench.Device.Mode);
    }

    [TestMethod]
    public void ATickThatEntersFaultSendsOneFaultFrameAfterItsAnswer()
    {
        var bench = new HilBench();
        bench.Hello(AllStreams);
        bench.Command(DeviceCommand.Start);
        bench.Readings(0, HilBench.RestingReading());
        SensorReading pressed = HilBench.RestingReading();
        pressed.EmergencyStopPressed = true;

        List<SentFrame> answer = bench.Readings(1, pressed);
        CollectionAssert.AreEqual(new[] { MessageType.MotorCommand, MessageType.TickStatistics, MessageType.Telemetry, MessageType.Fault }, answer.Select(f => f.Type).ToArray());
        Assert.IsTrue(answer[3].Write > answer[0].Write, "the Fault follows the tick's answer, which is not held back for it");
        Assert.AreEqual(0f, answer[0].MotorCommand().Duty);
        FaultMessage fault = answer[3].Fault();
        Assert.AreEqual((1u, FaultReason.EmergencyStop), (fault.TickIndex, fault.Reason));

        Assert.IsFalse(bench.Readings(2, pressed).Any(f => f.Type == MessageType.Fault), "once per entry into Fault");
        Assert.AreEqual(1, bench.Link.OfType(MessageType.Fault).Count);
    }

    [TestMethod]
    public void RealTime_TwoSilentPeriodsWhileHoming_MotorZeroFaultLinkLostAndAFaultFrame()
    {
        // Scenario: a real-time connection, the rig homing (the motor runs), the host's readings stop after
        // tick 9. Exactly 2 P after the last reading nothing has happened; 1 µs later the watchdog sets the
        // duty to 0 without waiting for a frame, the supervisor is in Fault with LinkLost, and one Fault
        // frame names the last tick handled. Reset (once the host is back) and Start home again.
        var bench = new HilBench();
        bench.Hello(AllStreams);
        Assert.AreEqual(AckStatus.Accepted, bench.Configure(HilBench.FirmwareConfiguration()));
        bench.Command(DeviceCommand.Start);
        long lastReading = 0;
        for (uint k = 0; k < 10; k++)
        {
            bench.Clock.NowMicroseconds = 1_000_000 + k * P;
            lastReading = bench.Clock.NowMicroseconds;
            bench.Readings(k, HilBench.RestingReading());
            for (int ms = 1; ms < P / 1000; ms++)
            {
                bench.Clock.NowMicroseconds = lastReading + ms * 1000;
                Assert.AreEqual(LinkCheck.None, bench.Device.Poll());
            }
        }

        Assert.AreEqual(SupervisorMode.Homing, bench.Device.Mode);
        Assert.AreNotEqual(0f, bench.Motor.Duty, "the motor runs when the link goes quiet");
        int framesBefore = bench.Link.Frames.Count;

        bench.Clock.NowMicroseconds = lastReading + 2 * P;
        Assert.AreEqual(LinkCheck.None, bench.Device.Poll());
        Assert.AreNotEqual(0f, bench.Motor.Duty);

        bench.Clock.NowMicroseconds = lastReading + 2 * P + 1;
        Assert.AreEqual(LinkCheck.LinkLost, bench.Device.Poll());
        Assert.AreEqual(0f, bench.Motor.Duty, "duty 0 at once");
        Assert.AreEqual(SupervisorMode.Fault, bench.Device.Mode);
        Assert.AreEqual(FaultReason.LinkLost, bench.Device.Loop.Supervisor.Fault);
        FaultMessage fault = bench.Link.Since(framesBefore).Single(f => f.Type == MessageType.Fault).Fault();
        Assert.AreEqual((9u, FaultReason.LinkLost), (fault.TickIndex, fault.Reason));
        Assert.AreEqual(1u, bench.Device.LinkLosses);

        bench.Clock.NowMicroseconds += 5 * P;
        Assert.AreEqual(LinkCheck.None, bench.Device.Poll(), "in Fault the motor is off: nothing more to stop");
        Assert.AreEqual(1, bench.Link.OfType(MessageType.Fault).Count);

        Assert.AreEqual(AckStatus.WrongMode, bench.Command(DeviceCommand.Start));
        Assert.AreEqual(AckStatus.Accepted, bench.Command(DeviceCommand.Reset));
        Assert.AreEqual(AckStatus.Accepted, bench.Command(DeviceCommand.Start));
        TelemetryRecord record = bench.Readings(10, HilBench.RestingReading()).Single(f => f.Type == MessageType.Telemetry).Telemetry().Record;
        Assert.AreEqual(SupervisorMode.Homing, record.Mode);
    }

    [TestMethod]
    public void RealTime_HostHeartbeatsWithoutReadingsDoNotKeepTheMotorRunning()
    {
        var bench = new HilBench();
        bench.Hello(AllStreams);
        bench.Command(DeviceCommand.Start);
        bench.Readings(0, HilBench.RestingReading());
        for (int ms = 10; ms <= 40; ms += 10)
        {
            bench.Clock.NowMicroseconds = ms * 1000;
            bench.Heartbeat();
            Assert.AreEqual(LinkCheck.None, bench.Device.Poll());
        }

        bench.Clock.NowMicroseconds = 2 * P + 1;
        Assert.AreEqual(LinkCheck.LinkLost, bench.Device.Poll());
        Assert.AreEqual(0f, bench.Motor.Duty);
    }

    [TestMethod]
    public void Lockstep_HeartbeatsAndARepeatedTickDoNotHoldTheLink_OneSecondWithoutAFreshReadingIsALostLink()
    {
        // A host stuck on one tick, re-sending its reading and Heartbeats, no longer simulates the plant: the
        // repeats are answered, but only a new TickIndex feeds the watchdog.
        var bench = new HilBench();
        bench.Hello(LockstepAll);
        bench.Command(DeviceCommand.Start);
        bench.Readings(0, HilBench.RestingReading());
        Assert.AreEqual(SupervisorMode.Homing, bench.Device.Mode);
        float duty = bench.Motor.Duty;
        Assert.AreNotEqual(0f, duty);

        for (int beat = 1; beat <= 9; beat++)
        {
            bench.Clock.NowMicroseconds = beat * 100_000L;
            bench.Heartbeat();
            Assert.AreEqual(duty, bench.Readings(0, HilBench.RestingReading()).Single(f => f.Type == MessageType.MotorCommand).MotorCommand().Duty, "a repeat is answered again");
            Assert.AreEqual(LinkCheck.None, bench.Device.Poll());
        }

        bench.Clock.NowMicroseconds = 1_000_000;
        Assert.AreEqual(LinkCheck.None, bench.Device.Poll(), "exactly 1 s after the fresh reading: still within the rule");
        bench.Clock.NowMicroseconds = 1_000_001;
        Assert.AreEqual(LinkCheck.LinkLost, bench.Device.Poll());
        Assert.AreEqual(0f, bench.Motor.Duty);
        Assert.AreEqual(FaultReason.LinkLost, bench.Link.OfType(MessageType.Fault).Single().Fault().Reason);
        Assert.AreEqual(0f, bench.Readings(0, HilBench.RestingReading()).Single(f => f.Type == MessageType.MotorCommand).MotorCommand().Duty,
            "after the loss a repeat is answered with the motor off, not with the duty the tick once chose");
        Assert.AreEqual(9u + 1u, bench.Device.RepeatedReadings);
    }

    [TestMethod]
    public void MotorOff_TheDeviceSendsHeartbeatsEvery100Ms_UntilTheHostIsGoneAfter500Ms_AndNeverFaults()
    {
        var bench = new HilBench();
        bench.Clock.NowMicroseconds = 7_000_000;
        bench.Hello(AllStreams);
        for (long t = 7_000_000; t <= 8_000_000; t += 1_000)
        {
            bench.Clock.NowMicroseconds = t;
            bench.Device.Poll();
        }

        List<SentFrame> heartbeats = bench.Link.OfType(MessageType.Heartbeat);
        Assert.AreEqual(4, heartbeats.Count, "at 101, 202, 303 and 404 ms after the HelloAck; none once the host is gone (500 ms)");
        HeartbeatMessage first = heartbeats[0].Heartbeat();
        Assert.AreEqual(7_101_000u, first.TimeMicroseconds, "the device's clock");
        Assert.AreEqual(1u, bench.Device.HostsGone);
        Assert.AreEqual(0, bench.Link.OfType(MessageType.Fault).Count, "motor off: silence is no fault");

        bench.Heartbeat();
        bench.Clock.NowMicroseconds += 101_000;
        bench.Device.Poll();
        Assert.AreEqual(5, bench.Link.OfType(MessageType.Heartbeat).Count, "the host is back: Heartbeats again");
    }

    [TestMethod]
    public void LoopStatisticsCarryTheWindowsJitterSkippedPeriodsOverrunsAndMemory()
    {
        var bench = new HilBench();
        bench.Hello(AllStreams);
        (long Arrival, uint Tick)[] readings = [(1_000, 0), (21_000, 1), (42_500, 2), (82_500, 4)];
        foreach ((long arrival, uint tick) in readings)
        {
            bench.Clock.NowMicroseconds = arrival;
            bench.Readings(tick, HilBench.RestingReading());
        }

        Assert.AreEqual(4, bench.Device.TicksInStatisticsWindow);
        bench.Device.SendLoopStatistics(81_920, 1_234);
        LoopStatisticsMessage window = bench.Link.Frames.Last().LoopStatistics();
        Assert.AreEqual(4u, window.TickIndex);
        Assert.AreEqual(1u, window.SkippedPeriods, "tick 3 never arrived");
        Assert.AreEqual(1_500u, window.MaxJitterMicroseconds, "tick 2 came 1.5 ms after it was due (tick 4, two periods later, on time)");
        Assert.AreEqual((0u, 0u), (window.Overruns, window.MaxTickMicroseconds), "the clock did not move during the ticks");
        Assert.AreEqual((81_920u, 1_234u), (window.FreeMemoryBytes, window.GarbageCollectionMicroseconds));
        Assert.AreEqual(0, bench.Device.TicksInStatisticsWindow, "a new window starts");

        // A write that takes 25 ms makes the tick longer than the 20 ms period: an overrun.
        bench.Link.DuringWrite = () => bench.Clock.NowMicroseconds += 25_000;
        bench.Clock.NowMicroseconds = 102_500;
        bench.Readings(5, HilBench.RestingReading());
        bench.Link.DuringWrite = null;
        bench.Device.SendLoopStatistics(0, 0);
        LoopStatisticsMessage next = bench.Link.Frames.Last().LoopStatistics();
        Assert.AreEqual(1u, next.Overruns);
        Assert.AreEqual(25_000u, next.MaxTickMicroseconds);
        Assert.AreEqual(0u, next.MaxJitterMicroseconds, "tick 5 arrived on time; the window's maxima were reset");
        Assert.AreEqual(1u, next.SkippedPeriods, "counted since start-up");
    }

    [TestMethod]
    public void ALockstepRunThroughTheFirmwaresHilModeMakesTheSimulatorsDecisionsTickForTick()
    {
        // Scenario: `run --planner cem-lqr --samples 8 --iterations 2 --elites 2 --horizon 40 --seed 1`
        // (the firmware's own planner) against the same simulated rig driven through the protocol: Hello
        // in lockstep, the Configuration a host sends (rig, sizes, seed), Start, then per tick the rig's
        // readings in and the device's duty out. Same Core arithmetic and inputs, so every figure of every
        // tick must agree bit for bit (planning time aside), through homing, swing-up and the LQR balance.
        // This pins the firmware's controller (ControlStack: estimator settings, cost, LQR weights, budget)
        // to the simulator's cem-lqr.
        var settings = new RunSettings { Planner = "cem-lqr", Samples = 8, Iterations = 2, Elites = 2, Horizon = 40, Seed = 1, StartHomed = false };
        var reference = new ControlledRig(settings);
        RigHardware plant = ControlledRig.CreateRig(settings, reference.Profile, startHomed: false);

        var bench = new HilBench();
        bench.Hello(LockstepAll);
        var configuration = new ConfigurationMessage();
        configuration.SetRig(reference.Profile);
        configuration.Samples = 8;
        configuration.Horizon = 40;
        configuration.Iterations = 2;
        configuration.Elites = 2;
        configuration.Seed = 1;
        Assert.AreEqual(AckStatus.Accepted, bench.Configure(configuration));
        Assert.AreEqual(AckStatus.Accepted, bench.Command(DeviceCommand.Start));

        const int Ticks = 600; // 12 s
        var modes = new HashSet<SupervisorMode>();
        var expected = new TelemetryRecord();
        var reading = new SensorReading();
        for (int k = 0; k < Ticks; k++)
        {
            reference.ControlTick(ref expected);
            reference.AdvancePlant();

            plant.Read(ref reading);
            List<SentFrame> answer = bench.Readings((uint)k, reading);
            MotorCommandMessage command = answer[0].MotorCommand();
            TelemetryRecord actual = answer.Single(f => f.Type == MessageType.Telemetry).Telemetry().Record;
            plant.SetDuty(command.Duty);
            for (int s = 0; s < reference.SubstepsPerTick; s++)
            {
                plant.Step();
            }

            string where = $"tick {k} ({expected.Mode})";
            Assert.AreEqual((uint)k, actual.TickIndex, where);
            Assert.AreEqual(expected.Mode, actual.Mode, where);
            Assert.AreEqual(expected.Fault, actual.Fault, where);
            AssertSameBits(expected.State.X, actual.State.X, where + " x");
            AssertSameBits(expected.State.XDot, actual.State.XDot, where + " xDot");
            AssertSameBits(expected.State.Theta, actual.State.Theta, where + " theta");
            AssertSameBits(expected.State.ThetaDot, actual.State.ThetaDot, where + " thetaDot");
            AssertSameBits(expected.Command, actual.Command, where + " command");
            AssertSameBits(expected.Duty, actual.Duty, where + " duty");
            AssertSameBits(expected.Duty, command.Duty, where + " MotorCommand duty");
            AssertSameBits(expected.ForceNewtons, actual.ForceNewtons, where + " force");
            AssertSameBits(expected.PlanCost, actual.PlanCost, where + " plan cost");
            Assert.AreEqual(expected.ModelSteps, actual.ModelSteps, where + " model steps");
            modes.Add(actual.Mode);
        }

        CollectionAssert.IsSubsetOf(new[] { SupervisorMode.Homing, SupervisorMode.SwingUp, SupervisorMode.Balance }, modes.ToArray(),
            "the run must home, swing up and reach the LQR balance within 12 s, or it compares too little");
        Assert.AreEqual(SupervisorMode.Balance, bench.Device.Mode, "still balancing at the end");
    }

    [TestMethod]
    public void TheDevicesTickPathAllocatesNothing()
    {
        // On nanoFramework an allocation on the tick path can start a stop-the-world collection. The device
        // side of each tick (decode, tick, answer in three frames, watchdog) is measured over 500 ticks of a
        // swing-up after a warm-up of 300; the plant and the host's encoding are not measured.
        var settings = new RunSettings { Planner = "cem-lqr", Samples = 8, Iterations = 2, Elites = 2, Horizon = 40, Seed = 3, StartHomed = false };
        RigProfile profile = settings.ResolveProfile();
        RigHardware plant = ControlledRig.CreateRig(settings, profile, startHomed: false);
        var bench = new HilBench();
        bench.Hello(LockstepAll);
        bench.Command(DeviceCommand.Start);
        bench.Link.Recording = false;
        var reading = new SensorReading();
        long allocated = 0;
        var modes = new HashSet<SupervisorMode>();
        for (int k = 0; k < 800; k++)
        {
            plant.Read(ref reading);
            int length = bench.EncodeReadings((uint)k, reading);
            bench.Clock.NowMicroseconds = k * P;
            long before = GC.GetAllocatedBytesForCurrentThread();
            bench.Deliver(length);
            bench.Device.Poll();
            long after = GC.GetAllocatedBytesForCurrentThread();
            if (k >= 300)
            {
                allocated += after - before;
            }

            modes.Add(bench.Device.Mode);
            plant.SetDuty(bench.Link.LastMotorCommand.Duty);
            for (int s = 0; s < 20; s++)
            {
                plant.Step();
            }
        }

        Assert.AreEqual(800u, bench.Device.TicksRun);
        Assert.IsTrue(modes.Contains(SupervisorMode.SwingUp), "the planner must have run for the measurement to mean anything");
        Assert.AreEqual(0L, allocated, $"{allocated} bytes allocated over 500 ticks");
    }

    private static void AssertSameBits(float expected, float actual, string what) =>
        Assert.AreEqual(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual), $"{what}: expected {expected:R}, got {actual:R}");
}
