using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Cli;
using EmbeddedMpc.HostSim.Hil;
using EmbeddedMpc.HostSim.Identification;
using EmbeddedMpc.Tests.Simulator;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Hil;

/// <summary>
/// The virtual rig (`device --rig`) and `configure` through a socat pty pair, as a user with a board would use them:
/// Telemetry streams before any Hello, a profile file is sent, applied, kept across a restart of the rig and reported
/// back, and refused while the rig runs. Needs socat (inconclusive without it).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class RigModeLinkTests
{
    [TestMethod]
    public void AProfileSentByConfigure_IsAppliedKeptAcrossARestartAndReportedBack_AndRefusedWhileTheRigRuns()
    {
        using HilHarness harness = HilHarness.Start();
        string store = Path.Combine(harness.Directory, "model.bin");
        string profilePath = Path.Combine(harness.Directory, "profile.json");
        RigProfile builtIn = RigProfiles.Esp32Rig();
        CartPoleParameters heavier = builtIn.CopyParameters();
        heavier.CartMassKilograms *= 1.2f;
        heavier.PivotDampingNewtonMeterSecondsPerRadian = 0.002f;
        heavier.CartCoulombFrictionNewtons = 0.83f;        // the dry frictions identify fits on a rig that has them
        heavier.PivotCoulombFrictionNewtonMeters = 0.0021f;
        const string frictions = "cart friction 0.83 N, pivot friction 0.0021 N·m";
        var identified = new RigProfile("identified", "a profile as identify writes it", heavier, builtIn.CopyMotor(), builtIn.CartCountsPerMeter,
            builtIn.PoleCountsPerRevolution, builtIn.ControlPeriodSeconds, builtIn.LimitSwitchOffsetMeters, builtIn.EndStopOffsetMeters);
        RigProfileFile.Write(identified, profilePath);
        uint sentModel = ConfigureCommand.ConfigurationOf(identified).RigModelId();
        uint builtInModel = ConfigureCommand.ConfigurationOf(builtIn).RigModelId();
        CartPoleParameters frictionless = heavier.Clone();
        frictionless.CartCoulombFrictionNewtons = 0f;
        frictionless.PivotCoulombFrictionNewtonMeters = 0f;
        Assert.AreNotEqual(sentModel, ConfigureCommand.ConfigurationOf(new RigProfile("identified", "", frictionless, builtIn.CopyMotor(), builtIn.CartCountsPerMeter,
            builtIn.PoleCountsPerRevolution, builtIn.ControlPeriodSeconds, builtIn.LimitSwitchOffsetMeters, builtIn.EndStopOffsetMeters)).RigModelId(),
            "the model id tells a model with dry friction from the same one without");

        harness.StartRig("--store", store);
        List<TelemetryRecord> heard = Listen(harness.HostPort, TimeSpan.FromSeconds(1));
        // 1 s at 50 Hz is 50 frames; a loaded machine delays some, so at least 20 show that the stream runs.
        Assert.IsTrue(heard.Count >= 20, $"a plain listener hears Telemetry before any Hello; heard {heard.Count}\n{harness.DeviceOutput}");
        Assert.IsTrue(heard.All(r => r.ModelId == builtInModel && r.ModelSource == ModelSource.BuiltIn), "nothing stored yet: the built-in profile");

        CliTests.CliResult sent = CliTests.Run("configure", "--port", harness.HostPort, "--profile", profilePath);
        Assert.AreEqual(ExitCodes.Success, sent.ExitCode, sent + "\n" + harness.DeviceOutput);
        StringAssert.Contains(sent.StandardOutput, "Ack: accepted");
        StringAssert.Contains(sent.StandardOutput, frictions, "configure says what it sends");
        StringAssert.Contains(sent.StandardOutput, $"now runs model 0x{sentModel:X8} (stored)");
        Assert.IsTrue(File.Exists(store), "the model is kept in the --store file");

        harness.TerminateRig();
        string applied = harness.DeviceOutput.Split("configuration applied: ").Last().Split('\n')[0];
        StringAssert.StartsWith(applied, $"model 0x{sentModel:X8} (stored): cart ", "the rig applied the model\n" + harness.DeviceOutput);
        StringAssert.Contains(applied, frictions, "with its dry frictions");
        harness.StartRig("--store", store);
        string afterRestart = harness.DeviceOutput.Split("--- start of the virtual rig ---").Last();
        StringAssert.Contains(afterRestart, $"model 0x{sentModel:X8} (stored)", "the restarted rig loads the model it was sent");
        StringAssert.Contains(afterRestart, frictions, "with its dry frictions intact");
        List<TelemetryRecord> later = Listen(harness.HostPort, TimeSpan.FromSeconds(0.5));
        Assert.IsTrue(later.Count > 0 && later.All(r => r.ModelId == sentModel && r.ModelSource == ModelSource.Stored), "Telemetry reports the stored model");

        // Start the rig from a host, then send the model again while it homes: refused, the rig keeps running.
        using (SerialLink link = SerialLink.Open(harness.HostPort, HilDefaults.BaudRate))
        {
            var start = new CommandMessage { Command = DeviceCommand.Start };
            link.Send(ref start);
            Thread.Sleep(300);
        }

        CliTests.CliResult refused = CliTests.Run("configure", "--port", harness.HostPort, "--profile", profilePath);
        Assert.AreEqual(ExitCodes.BadInput, refused.ExitCode, refused + "\n" + harness.DeviceOutput);
        StringAssert.Contains(refused.StandardOutput, "WrongMode: the rig is running");
        StringAssert.Contains(refused.StandardError, "the board refused the model");
        List<TelemetryRecord> running = Listen(harness.HostPort, TimeSpan.FromSeconds(0.5));
        Assert.IsTrue(running.Count > 0 && running.All(r => r.Activity == RigActivity.Control && r.Mode != SupervisorMode.Idle && r.Mode != SupervisorMode.Fault),
            "the refused Configuration changed nothing: the rig goes on with its Start (homing, then the swing-up)");
        harness.TerminateRig();
    }

    [TestMethod]
    public void ExciteThroughTheVirtualRig_HomesThenExcitesForItsDurationOnTheRigsClock_ThenStopsInReady()
    {
        using HilHarness harness = HilHarness.Start();
        harness.StartRig("--seed", "3");
        var records = new List<TelemetryRecord>();
        using SerialLink link = SerialLink.Open(harness.HostPort, HilDefaults.BaudRate);
        Thread reader = StartTelemetryReader(link, records);
        var excite = new CommandMessage { Command = DeviceCommand.Excite, DurationMilliseconds = 2000 };
        link.Send(ref excite);

        // Homing takes a few seconds of the rig's clock; 60 s of wall clock bounds a loaded machine, it is not the expected time.
        var clock = Stopwatch.StartNew();
        bool done = false;
        while (!done && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Thread.Sleep(200);
            lock (records)
            {
                done = records.Any(r => r.Activity == RigActivity.Excitation) && records.Last().Activity == RigActivity.None;
            }
        }

        link.Close();
        reader.Join(TimeSpan.FromSeconds(2));
        harness.TerminateRig();
        List<TelemetryRecord> heard;
        lock (records)
        {
            heard = records.ToList();
        }

        Assert.IsTrue(done, $"the excitation did not run and end within 60 s; last mode {heard.LastOrDefault().Mode}\n{harness.DeviceOutput}");
        List<TelemetryRecord> exciting = heard.Where(r => r.Activity == RigActivity.Excitation && r.Mode == SupervisorMode.SwingUp).ToList();
        Assert.IsTrue(heard.Any(r => r.Activity == RigActivity.Excitation && r.Mode == SupervisorMode.Homing), "the rig homes first");
        // 2 s at 50 Hz: the ticks are the rig's own, numbered by it, so a frame lost on the way does not change the span.
        Assert.AreEqual(100u, exciting.Last().TickIndex - exciting.First().TickIndex + 1, "the excitation lasts its duration on the rig's clock");
        Assert.IsTrue(exciting.Max(r => Math.Abs(r.State.X)) > 0.02f, "the cart moves under the excitation");
        Assert.AreEqual(SupervisorMode.Ready, heard.Last().Mode, "then the rig stops, homed, in Ready");
        Assert.IsFalse(heard.Any(r => r.Mode == SupervisorMode.Fault), "no fault on the way");
    }

    [TestMethod]
    public void Configure_RefusesABadProfileFile_WithExitCode2_BeforeOpeningThePort()
    {
        string directory = Path.Combine(Path.GetTempPath(), "embeddedmpc-configure-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string path = Path.Combine(directory, "profile.json");
            File.WriteAllText(path, "{ \"format\": \"something else\" }");
            CliTests.CliResult result = CliTests.Run("configure", "--port", Path.Combine(directory, "no-such-port"), "--profile", path);
            Assert.AreEqual(ExitCodes.BadInput, result.ExitCode, result.ToString());
            StringAssert.Contains(result.StandardError, "--profile");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public void DeviceRig_RefusesHilOnlyOptions_AndHilModeRefusesRigOnlyOptions_WithExitCode2()
    {
        // Checked before any port is opened, so no socat is needed: the port does not exist.
        string port = Path.Combine(Path.GetTempPath(), "embeddedmpc-no-such-port-" + Guid.NewGuid().ToString("N"));
        CliTests.CliResult rigWithTicks = CliTests.Run("device", "--rig", "--port", port, "--ticks", "10");
        Assert.AreEqual(ExitCodes.BadInput, rigWithTicks.ExitCode, rigWithTicks.ToString());
        StringAssert.Contains(rigWithTicks.StandardError, "--ticks");

        CliTests.CliResult hilWithStore = CliTests.Run("device", "--port", port, "--store", Path.Combine(Path.GetTempPath(), "model.bin"));
        Assert.AreEqual(ExitCodes.BadInput, hilWithStore.ExitCode, hilWithStore.ToString());
        StringAssert.Contains(hilWithStore.StandardError, "--store applies to rig mode (--rig)");

        CliTests.CliResult noPort = CliTests.Run("device", "--rig", "--port", port);
        Assert.AreEqual(ExitCodes.BadInput, noPort.ExitCode, noPort.ToString());
        StringAssert.Contains(noPort.StandardError, "does not exist");
    }

    // A background thread that decodes every Telemetry frame the link receives into records (locked), until the link closes.
    private static Thread StartTelemetryReader(SerialLink link, List<TelemetryRecord> records)
    {
        var reader = new Thread(() =>
        {
            while (link.Receive((decoder, _) =>
            {
                if (decoder.MessageType == MessageType.Telemetry)
                {
                    var message = new TelemetryMessage();
                    message.Read(decoder.Frame, FrameLayout.PayloadOffset);
                    lock (records)
                    {
                        records.Add(message.Record);
                    }
                }
            }))
            {
            }
        }) { IsBackground = true };
        reader.Start();
        return reader;
    }

    // What a plain logger hears on the host end for a while: the Telemetry frames, decoded; nothing is sent.
    private static List<TelemetryRecord> Listen(string port, TimeSpan duration)
    {
        var records = new List<TelemetryRecord>();
        using SerialLink link = SerialLink.Open(port, HilDefaults.BaudRate);
        Thread reader = StartTelemetryReader(link, records);
        Thread.Sleep(duration);
        link.Close();
        reader.Join(TimeSpan.FromSeconds(2));
        lock (records)
        {
            // The first frames may be old ones the pty held while nobody listened; the rest are live.
            return records.ToList();
        }
    }
}
