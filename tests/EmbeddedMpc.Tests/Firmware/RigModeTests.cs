using System;
using System.Collections.Generic;
using System.Linq;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Rig;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.Firmware;
using EmbeddedMpc.Firmware.Commands;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Firmware;

/// <summary>A model store in memory, as the board's flash file or the virtual rig's file would hold it.</summary>
internal sealed class MemoryModelStore : IModelStore
{
    public byte[]? Bytes { get; set; }

    public bool FailWrites { get; set; }

    public int Load(byte[] buffer)
    {
        if (Bytes is null)
        {
            return -1;
        }

        int count = System.Math.Min(Bytes.Length, buffer.Length);
        System.Array.Copy(Bytes, buffer, count);
        return Bytes.Length;
    }

    public bool Save(byte[] buffer, int count)
    {
        if (FailWrites)
        {
            return false;
        }

        Bytes = buffer.Take(count).ToArray();
        return true;
    }
}

/// <summary>
/// The firmware's rig mode without a board: the Core's <see cref="RigModeDevice"/> with the firmware's
/// <see cref="RigController"/> (its compiled-in planner) around the simulator's powered-on rig (pole hanging, the
/// cart somewhere on the track, encoders counting from there), ticked on a hand-set clock by the test.
/// </summary>
internal sealed class RigBench
{
    private readonly FrameEncoder _host = new();
    private readonly byte[] _wire = new byte[FrameLayout.MaxWireFrameLength];

    public RigBench(MemoryModelStore? store = null)
    {
        Store = store ?? new MemoryModelStore();
        var settings = new RunSettings { Seed = 1 };
        // The rig's encoders count as the board's PCNT does (3 per quadrature cycle), the density the firmware reads.
        Hardware = ControlledRig.CreateRig(settings, PcntCounts.AsCounted(RigProfiles.Esp32Rig()), startHomed: false);
        Device = new RigModeDevice(new RigController(Hardware, Hardware, Clock), RigProfiles.Esp32Rig(), Store, Link,
            FirmwareSettings.VersionMajor, FirmwareSettings.VersionMinor, FirmwareSettings.VersionPatch);
    }

    public MemoryModelStore Store { get; }

    public RigHardware Hardware { get; }

    public ManualClock Clock { get; } = new();

    public RecordingTransmitter Link { get; } = new();

    public RigModeDevice Device { get; }

    public AckMessage LastAck { get; private set; }

    /// <summary>Runs <paramref name="ticks"/> control ticks on time, the simulated rig moving between them; returns their Telemetry.</summary>
    public List<TelemetryRecord> Run(int ticks, bool buttonPressed = false)
    {
        int before = Link.Frames.Count;
        for (int k = 0; k < ticks; k++)
        {
            Device.Tick(Clock.NowMicroseconds, Clock.NowMicroseconds, buttonPressed && k == 0);
            for (int s = 0; s < Hardware.StepsPerControlPeriod(RigProfiles.Esp32Rig().ControlPeriodSeconds); s++)
            {
                Hardware.Step();
            }

            Clock.NowMicroseconds += FirmwareSettings.ControlPeriodMicroseconds;
        }

        return Link.Since(before).Where(f => f.Type == MessageType.Telemetry).Select(f => f.Telemetry().Record).ToList();
    }

    public AckStatus Command(DeviceCommand command, uint durationMilliseconds = 0)
    {
        var message = new CommandMessage { Command = command, DurationMilliseconds = durationMilliseconds };
        return Answer(_host.Encode(ref message, _wire, 0), MessageType.Command);
    }

    public AckStatus Configure(ConfigurationMessage configuration) => Answer(_host.Encode(ref configuration, _wire, 0), MessageType.Configuration);

    public HelloAckMessage Hello(uint flags)
    {
        var hello = new HelloMessage { ProtocolVersion = FrameLayout.ProtocolVersion, ClientId = 0x7E57, Flags = flags };
        int before = Link.Frames.Count;
        Device.Receive(_wire, 0, _host.Encode(ref hello, _wire, 0), Clock.NowMicroseconds);
        SentFrame answer = Link.Since(before).Single(f => f.Type == MessageType.HelloAck);
        var ack = new HelloAckMessage();
        ack.Read(answer.Payload, 0);
        return ack;
    }

    /// <summary>The Configuration of a rig profile, with the smallest valid planner sizes (rig mode plans with its own planner).</summary>
    public static ConfigurationMessage ConfigurationOf(RigProfile profile)
    {
        var configuration = new ConfigurationMessage { Samples = 2, Horizon = 1, Iterations = 1, Elites = 1 };
        configuration.SetRig(profile);
        return configuration;
    }

    private AckStatus Answer(int length, MessageType type)
    {
        int before = Link.Frames.Count;
        Device.Receive(_wire, 0, length, Clock.NowMicroseconds);
        SentFrame answer = Link.Since(before).Single(f => f.Type == MessageType.Ack);
        var ack = new AckMessage();
        ack.Read(answer.Payload, 0);
        Assert.AreEqual(type, ack.AcknowledgedType);
        LastAck = ack;
        return ack.Status;
    }
}

/// <summary>
/// Rig mode as PROTOCOL.md ("Rig mode") specifies it, on the firmware's own controller around a simulated rig:
/// telemetry from start-up without a Hello, start/stop/reset and the button, Excite through the supervisor for its
/// duration, and a model sent, checked, applied, stored and reported.
/// </summary>
[TestClass]
public sealed class RigModeTests
{
    private static uint BuiltInModelId() => RigBench.ConfigurationOf(RigProfiles.Esp32Rig()).RigModelId();

    [TestMethod]
    public void TelemetryIsStreamedFromStartUpWithoutAHello_AndCarriesCountsInputsTimingAndTheModel()
    {
        var bench = new RigBench();
        bench.Clock.NowMicroseconds = 1_000_000;
        bench.Device.Tick(1_000_000, 999_990, buttonHeld: true);
        bench.Device.Tick(1_020_050, 1_020_000, buttonHeld: false);

        List<TelemetryRecord> records = bench.Link.OfType(MessageType.Telemetry).Select(f => f.Telemetry().Record).ToList();
        Assert.AreEqual(2, records.Count, "one Telemetry per tick before any Hello, so a plain logger can listen");
        Assert.AreEqual(TelemetryInputs.Button, records[0].Inputs, "the press shows in the tick it was seen; no switch is tripped at power-on");
        Assert.AreEqual((0, 10), (records[0].TickPeriodMicroseconds, records[0].JitterMicroseconds), "the first tick has no period yet; it started 10 µs late");
        Assert.AreEqual((20_050, 50), (records[1].TickPeriodMicroseconds, records[1].JitterMicroseconds));
        Assert.AreEqual(-1, records[1].FreeMemoryBytes, "unknown until the first statistics window");
        Assert.AreEqual((BuiltInModelId(), ModelSource.BuiltIn), (records[1].ModelId, records[1].ModelSource), "nothing stored: the built-in profile");

        var statistics = new LoopStatisticsMessage { FreeMemoryBytes = 81_234 };
        bench.Device.SendLoopStatistics(ref statistics, 1_030_000);
        bench.Device.Tick(1_040_000, 1_040_000, false);
        Assert.AreEqual(81_234, bench.Link.OfType(MessageType.Telemetry).Last().Telemetry().Record.FreeMemoryBytes);

        HelloAckMessage ack = bench.Hello(0xFFFFFFFFu);
        Assert.AreEqual(RigModeDevice.SupportedSessionFlags, ack.Flags, "both streams, never lockstep: the rig keeps its own time");
        Assert.AreEqual((BuiltInModelId(), ModelSource.BuiltIn), (ack.ModelId, ack.ModelSource));
    }

    [TestMethod]
    public void TheRawCountsFollowTheEncoders_AndHomingTripsTheNegativeLimitBit()
    {
        var bench = new RigBench();
        Assert.AreEqual(AckStatus.Accepted, bench.Command(DeviceCommand.Start));
        List<TelemetryRecord> records = bench.Run(600);
        Assert.IsTrue(records.Any(r => (r.Inputs & TelemetryInputs.NegativeLimit) != 0), "homing drives onto the -x switch, and Inputs shows it");
        Assert.IsTrue(records.Min(r => r.CartCount) < -100, "the cart count falls as homing drives toward -x (it counts from the power-on position)");
        Assert.IsTrue(records.Last().Mode is SupervisorMode.SwingUp or SupervisorMode.Balance, $"homed, then swinging up within 12 s; ended in {records.Last().Mode}");
        Assert.IsTrue(records.All(r => r.Activity == RigActivity.Control));
    }

    [TestMethod]
    public void StartStopResetAndTheButton_AreTheSupervisorsRules()
    {
        var bench = new RigBench();
        Assert.AreEqual(AckStatus.Unsupported, bench.Command((DeviceCommand)99));
        Assert.AreEqual(AckStatus.Unsupported, bench.Command(DeviceCommand.None));
        bench.Run(1, buttonPressed: true);
        bench.Device.ButtonPressed(); // the bench reports the press; the firmware's thread calls this
        bench.Run(2);
        Assert.AreEqual(SupervisorMode.Homing, bench.Device.Mode, "Idle + button = start, which homes first");
        Assert.AreEqual(AckStatus.Accepted, bench.Command(DeviceCommand.Stop));
        bench.Run(2);
        Assert.AreEqual(SupervisorMode.Idle, bench.Device.Mode, "a stop during homing leaves the rig un-homed in Idle");
        Assert.AreEqual(RigActivity.None, bench.Device.Activity);

        bench.Device.Loop.Supervisor.EnterFault(FaultReason.EmergencyStop);
        Assert.AreEqual(AckStatus.WrongMode, bench.Command(DeviceCommand.Start), "Start must not clear a fault");
        Assert.AreEqual(AckStatus.WrongMode, bench.Command(DeviceCommand.Excite, 5000));
        bench.Device.ButtonPressed();
        Assert.AreEqual(SupervisorMode.Idle, bench.Device.Mode, "Fault + button = reset");
    }

    [TestMethod]
    public void Excite_HomesFirst_RunsTheExcitationForItsDuration_ThenStopsInReady()
    {
        var bench = new RigBench();
        Assert.AreEqual(AckStatus.InvalidValue, bench.Command(DeviceCommand.Excite, 999));
        Assert.AreEqual(AckDetail.Duration, bench.LastAck.Detail);
        Assert.AreEqual(AckStatus.InvalidValue, bench.Command(DeviceCommand.Excite, 600_001));

        Assert.AreEqual(AckStatus.Accepted, bench.Command(DeviceCommand.Excite, 3000));
        Assert.AreEqual(AckStatus.Accepted, bench.Command(DeviceCommand.Excite, 3000), "a retried Excite is harmless");
        List<TelemetryRecord> records = bench.Run(1200);
        List<TelemetryRecord> exciting = records.Where(r => r.Mode == SupervisorMode.SwingUp).ToList();
        // 3 s at 50 Hz: 150 ticks of excitation, counted from the end of homing.
        Assert.AreEqual(150, exciting.Count, "the excitation runs for its duration once homed");
        Assert.IsTrue(records.TakeWhile(r => r.Mode != SupervisorMode.SwingUp).Any(r => r.Mode == SupervisorMode.Homing), "homing comes first");
        Assert.IsTrue(exciting.All(r => r.Activity == RigActivity.Excitation && r.ModelSteps == 0), "the excitation policy runs, not the planner");
        Assert.IsTrue(exciting.Max(r => System.Math.Abs(r.State.X)) > 0.02f, "the cart moves under the excitation");
        Assert.AreEqual(SupervisorMode.Ready, records.Last().Mode, "then the rig stops and waits");
        Assert.AreEqual(RigActivity.None, records.Last().Activity);
        Assert.IsFalse(records.Any(r => r.Mode == SupervisorMode.Fault), "no fault on the way");
    }

    [TestMethod]
    public void StartDuringAnExcitationIsRefused_StopEndsIt()
    {
        var bench = new RigBench();
        bench.Command(DeviceCommand.Excite, 60_000);
        bench.Run(700);
        Assert.AreEqual(SupervisorMode.SwingUp, bench.Device.Mode);
        Assert.AreEqual(AckStatus.WrongMode, bench.Command(DeviceCommand.Start), "stop the excitation first");
        Assert.AreEqual(AckStatus.Accepted, bench.Command(DeviceCommand.Stop));
        Assert.AreEqual((SupervisorMode.Ready, RigActivity.None), (bench.Device.Mode, bench.Device.Activity));
        Assert.IsNull(bench.Device.Loop.PolicyOverride, "the swing-up planner is back for the next Start");
    }

    [TestMethod]
    public void AModelSent_IsCheckedAppliedStoredAndReported_AndSurvivesARestart()
    {
        var bench = new RigBench();
        RigProfile heavier = RigProfiles.Esp32Rig();
        ConfigurationMessage sent = RigBench.ConfigurationOf(heavier);
        sent.CartMassKilograms *= 1.25f;
        sent.PivotDampingNewtonMeterSecondsPerRadian = 0.002f;
        sent.CartCoulombFrictionNewtons = 0.9f;          // as identify fits them on a rig with dry friction
        sent.PivotCoulombFrictionNewtonMeters = 0.0025f;

        ConfigurationMessage wrongPeriod = sent;
        wrongPeriod.ControlPeriodMicroseconds = 10_000;
        Assert.AreEqual(AckStatus.InvalidValue, bench.Configure(wrongPeriod));
        Assert.AreEqual((AckDetail.ControlPeriodMicroseconds, (uint)FirmwareSettings.ControlPeriodMicroseconds), (bench.LastAck.Detail, bench.LastAck.Limit));
        ConfigurationMessage outOfRange = sent;
        outOfRange.CartMassKilograms = float.NaN;
        Assert.AreEqual(AckStatus.InvalidValue, bench.Configure(outOfRange));
        Assert.AreEqual(AckDetail.CartMassKilograms, bench.LastAck.Detail);
        // The track's half-length places the homing origin and the track limits of the rail the board is built into:
        // a model (e.g. one identified on another profile) may not move them. Limit: the built-in half-length in mm.
        ConfigurationMessage otherTrack = sent;
        otherTrack.TrackHalfLengthMeters = 0.40f;
        Assert.AreEqual(AckStatus.InvalidValue, bench.Configure(otherTrack));
        uint builtInTrackMillimetres = (uint)MathF.Round(heavier.CopyParameters().TrackHalfLengthMeters * 1000f);
        Assert.AreEqual((AckDetail.TrackHalfLengthMeters, builtInTrackMillimetres), (bench.LastAck.Detail, bench.LastAck.Limit));
        Assert.IsNull(bench.Store.Bytes, "nothing refused is stored");

        bench.Command(DeviceCommand.Start);
        bench.Run(5);
        Assert.AreEqual(AckStatus.WrongMode, bench.Configure(sent), "not while the motor may run");
        Assert.AreEqual(AckDetail.Running, bench.LastAck.Detail);
        bench.Command(DeviceCommand.Stop);

        Assert.AreEqual(AckStatus.Accepted, bench.Configure(sent));
        Assert.AreEqual((sent.RigModelId(), ModelSource.Stored), (bench.Device.ModelId, bench.Device.ModelSource));
        Assert.AreNotEqual(BuiltInModelId(), bench.Device.ModelId);
        Assert.AreEqual(sent.CartMassKilograms, bench.Device.Profile.CopyParameters().CartMassKilograms);
        AssertFrictions(sent, bench.Device.Profile, "applied");
        ConfigurationMessage withoutFriction = sent;
        withoutFriction.CartCoulombFrictionNewtons = 0f;
        Assert.AreNotEqual(withoutFriction.RigModelId(), sent.RigModelId(), "the model id covers the frictions");
        Assert.AreEqual(sent.RigModelId(), bench.Run(1).Single().ModelId, "Telemetry reports the model now in use");

        var restarted = new RigBench(bench.Store);
        Assert.AreEqual((sent.RigModelId(), ModelSource.Stored), (restarted.Device.ModelId, restarted.Device.ModelSource), "kept across a reboot");
        Assert.AreEqual(sent.RigModelId(), restarted.Hello(HelloMessage.FlagSendTelemetry).ModelId);
        AssertFrictions(sent, restarted.Device.Profile, "after a reboot");
    }

    [TestMethod]
    public void AModelSentInFault_IsApplied_ButTheFaultAndItsReasonStayUntilAReset()
    {
        var bench = new RigBench();
        bench.Run(2);
        bench.Device.Loop.Supervisor.EnterFault(FaultReason.TrackMargin);
        ConfigurationMessage sent = RigBench.ConfigurationOf(RigProfiles.Esp32Rig());
        sent.CartMassKilograms *= 1.1f;
        Assert.AreEqual(AckStatus.Accepted, bench.Configure(sent));
        Assert.AreEqual(sent.RigModelId(), bench.Device.ModelId);
        TelemetryRecord after = bench.Run(1).Single();
        Assert.AreEqual((SupervisorMode.Fault, FaultReason.TrackMargin), (after.Mode, after.Fault), "a new model is no Reset");
        Assert.AreEqual(AckStatus.WrongMode, bench.Command(DeviceCommand.Start), "Start is still refused in Fault");
        Assert.AreEqual(AckStatus.Accepted, bench.Command(DeviceCommand.Reset));
        bench.Run(1);
        Assert.AreEqual(SupervisorMode.Idle, bench.Device.Mode);
    }

    [TestMethod]
    public void AModelStoredInTheLayoutWithoutFrictions_StillRuns_AsThatModelWithoutDryFriction()
    {
        // Scenario: a board kept a model in the store's format version 1 (the 68-byte Configuration of before the
        // frictions travelled: rig fields at 0 to 47, planner fields at 48 to 67), then got a firmware that reads
        // format 2. It runs that model, as the board planned with it (no dry friction), reported as stored, under the
        // id of its rig fields with both frictions 0; it is not thrown away for the built-in profile.
        ConfigurationMessage old = RigBench.ConfigurationOf(RigProfiles.Esp32Rig());
        old.CartMassKilograms *= 1.25f;
        old.Seed = 0xDEADBEEF;
        var payload = new byte[ConfigurationMessage.PayloadLength];
        old.Write(payload, 0);
        byte[] version1 = [.. "EMPM"u8, 1, .. payload.Take(48), .. payload.Skip(ConfigurationMessage.RigFieldsLength), 0, 0, 0, 0];
        Assert.AreEqual(StoredModel.Version1Length, version1.Length);
        LittleEndian.WriteUInt32(version1, version1.Length - 4, Crc32.Compute(version1, 0, version1.Length - 4));

        var read = new ConfigurationMessage();
        Assert.IsTrue(StoredModel.TryRead(version1, version1.Length, ref read));
        Assert.AreEqual((old.CartMassKilograms, old.ControlPeriodMicroseconds, 0f, 0f, old.Samples, old.Elites, old.Seed),
            (read.CartMassKilograms, read.ControlPeriodMicroseconds, read.CartCoulombFrictionNewtons, read.PivotCoulombFrictionNewtonMeters, read.Samples, read.Elites, read.Seed));

        var board = new RigBench(new MemoryModelStore { Bytes = version1 });
        Assert.AreEqual((old.RigModelId(), ModelSource.Stored), (board.Device.ModelId, board.Device.ModelSource));
        Assert.AreEqual(old.CartMassKilograms, board.Device.Profile.CopyParameters().CartMassKilograms);
        AssertFrictions(old, board.Device.Profile, "a format 1 model");

        version1[20] ^= 0x01; // a flipped bit in a format 1 model is caught by its CRC like any other
        Assert.AreEqual(ModelSource.BuiltInStoredCorrupt, new RigBench(new MemoryModelStore { Bytes = version1 }).Device.ModelSource);
    }

    private static void AssertFrictions(ConfigurationMessage expected, RigProfile actual, string when)
    {
        CartPoleParameters parameters = actual.CopyParameters();
        Assert.AreEqual((expected.CartCoulombFrictionNewtons, expected.PivotCoulombFrictionNewtonMeters),
            (parameters.CartCoulombFrictionNewtons, parameters.PivotCoulombFrictionNewtonMeters), $"{when}: the dry frictions the rig plans with");
    }

    [TestMethod]
    public void ACorruptStoredModel_FallsBackToTheBuiltInProfile_AndSaysSo_AndAFailedWriteIsUnsaved()
    {
        var store = new MemoryModelStore();
        var bench = new RigBench(store);
        Assert.AreEqual(AckStatus.Accepted, bench.Configure(RigBench.ConfigurationOf(RigProfiles.Esp32Rig())));
        byte[] good = store.Bytes!;
        Assert.AreEqual(StoredModel.Length, good.Length);

        for (int i = 0; i < good.Length; i += 7)
        {
            store.Bytes = (byte[])good.Clone();
            store.Bytes[i] ^= 0x10;
            var restarted = new RigBench(store);
            Assert.AreEqual(ModelSource.BuiltInStoredCorrupt, restarted.Device.ModelSource, $"bit flipped in byte {i}");
            Assert.AreEqual(BuiltInModelId(), restarted.Device.ModelId);
        }

        store.Bytes = good.Take(40).ToArray();
        Assert.AreEqual(ModelSource.BuiltInStoredCorrupt, new RigBench(store).Device.ModelSource, "a torn write");

        store.FailWrites = true;
        var failing = new RigBench(store);
        Assert.AreEqual(AckStatus.Accepted, failing.Configure(RigBench.ConfigurationOf(RigProfiles.Esp32Rig())), "applied even if it cannot be kept");
        Assert.AreEqual(ModelSource.Unsaved, failing.Device.ModelSource);
    }
}
