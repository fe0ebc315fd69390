using System;
using System.Globalization;
using System.IO;
using System.Linq;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Cli;
using EmbeddedMpc.HostSim.Monitor;
using EmbeddedMpc.Tests.Cli;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.RigMonitor;

/// <summary>
/// `monitor` against a rig that streams telemetry on its own clock (<see cref="ScriptedRig"/>) through a
/// socat pty pair: every row it records is a tick the rig sent, a pulled cable leaves a readable log and a
/// summary that says how the session ended, and it picks the rig up again when the cable is back.
/// </summary>
[TestClass]
public sealed class MonitorLinkTests : CliTestBase
{
    private string Output => Path.Combine(WorkDirectory, "recording");

    private string LogPath => Path.Combine(Output, "log.csv");

    private int RowsOnDisk() => File.Exists(LogPath) ? ReadShared(LogPath).Count(c => c == '\n') - 1 : 0;

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The data rows of log.csv as (tick, fields by column name).</summary>
    private (uint Tick, Func<string, string> Field)[] Rows()
    {
        string[] lines = File.ReadAllLines(LogPath);
        string[] header = lines[0].Split(',');
        return lines.Skip(1).Select(line =>
        {
            string[] fields = line.Split(',');
            Assert.AreEqual(header.Length, fields.Length, $"a row with another number of fields than the header: {line}");
            uint tick = (uint)Math.Round(double.Parse(fields[0], CultureInfo.InvariantCulture) * 1e6 / ScriptedRig.PeriodMicroseconds);
            return (tick, (Func<string, string>)(name => fields[Array.IndexOf(header, name)]));
        }).ToArray();
    }

    /// <summary>Each row holds exactly what the rig sent for its tick: no row is invented or altered.</summary>
    private static void AssertRowsAreTheRigsTicks((uint Tick, Func<string, string> Field)[] rows)
    {
        foreach ((uint tick, Func<string, string> field) in rows)
        {
            SupervisorMode mode = field("mode") == "swingup" ? SupervisorMode.SwingUp : SupervisorMode.Ready;
            TelemetryRecord expected = ScriptedRig.Expected(tick, mode);
            Assert.AreEqual(expected.State.X, float.Parse(field("est_x_m"), CultureInfo.InvariantCulture), $"tick {tick}: est_x_m");
            Assert.AreEqual(expected.State.Theta, float.Parse(field("est_theta_rad"), CultureInfo.InvariantCulture), $"tick {tick}: est_theta_rad");
            Assert.AreEqual(expected.PlanningMicroseconds.ToString(CultureInfo.InvariantCulture), field("planning_us"), $"tick {tick}: planning_us");
            Assert.AreEqual("", field("theta_rad"), "a rig has no true state");
            Assert.AreEqual(expected.CartCount.ToString(CultureInfo.InvariantCulture), field("cart_count"), $"tick {tick}: cart_count");
            Assert.AreEqual(expected.PoleCount.ToString(CultureInfo.InvariantCulture), field("pole_count"), $"tick {tick}: pole_count");
            Assert.AreEqual((expected.Inputs & 1) != 0 ? "1" : "0", field("negative_limit"), $"tick {tick}: negative_limit");
            Assert.AreEqual((expected.Inputs & 4) != 0 ? "1" : "0", field("emergency_stop"), $"tick {tick}: emergency_stop");
            Assert.AreEqual(expected.TickPeriodMicroseconds.ToString(CultureInfo.InvariantCulture), field("tick_period_us"), $"tick {tick}: tick_period_us");
            Assert.AreEqual("c0ffee00", field("model_id"));
        }
    }

    [TestMethod]
    public void MonitorStartsTheRigAndRecordsEveryTickItSendsForTheDuration()
    {
        using PtyPair cable = PtyPair.Start();
        using var rig = new ScriptedRig(cable.RigPort);
        CliResult result = Run("monitor", "--port", cable.HostPort, "--out", Output, "--start", "--duration", "2");
        Assert.AreEqual(ExitCodes.Success, result.ExitCode, result.ToString());

        var rows = Rows();
        Assert.AreEqual(100, rows.Length, "2 s at 50 Hz: the duration counts rig ticks from the first row");
        CollectionAssert.AreEqual(Enumerable.Range((int)rows[0].Tick, 100).Select(t => (uint)t).ToArray(), rows.Select(r => r.Tick).ToArray(), "consecutive ticks: nothing lost on an idle pty");
        AssertRowsAreTheRigsTicks(rows);
        Assert.IsTrue(rows.Any(r => r.Field("mode") == "swingup"), "the Start sent by --start reached the rig");

        MonitorSummary summary = MonitorSummary.FromJson(File.ReadAllText(Path.Combine(Output, "summary.json")))!;
        Assert.AreEqual("duration", summary.Ending);
        Assert.AreEqual(100, summary.Rows);
        Assert.AreEqual(0, summary.Gaps);
        Assert.AreEqual("rig", summary.ControlPeriodSource, "the period came from the rig's HelloAck");
        Assert.AreEqual("start", summary.Commands[0].Command);
        Assert.AreEqual("accepted", summary.Commands[0].Status);
        Assert.IsTrue(summary.Commands.Any(c => c.Command == "stop"), "a run monitor started is stopped at the end of --duration");
        foreach (string plot in RigPlotWriter.FileNames)
        {
            Assert.IsTrue(new FileInfo(Path.Combine(Output, plot)).Length > 0, plot);
        }
    }

    [TestMethod]
    public void PullingTheCableMidRunLeavesEveryReceivedRowAndASummaryOfHowItEnded()
    {
        using PtyPair cable = PtyPair.Start();
        using var rig = new ScriptedRig(cable.RigPort);
        using CliProcess monitor = CliProcess.Start(WorkDirectory, "monitor", "--port", cable.HostPort, "--out", Output);
        WaitUntil(() => RowsOnDisk() >= 50, "monitor recorded 50 rows");
        cable.Pull();
        string afterPull = ReadShared(LogPath);
        Assert.IsTrue(afterPull.EndsWith('\n'), "the log on disk ends with a whole row");
        WaitUntil(() => File.Exists(Path.Combine(Output, "summary.json")) && MonitorSummary.FromJson(ReadShared(Path.Combine(Output, "summary.json")))!.Disconnections == 1,
            "the summary written while recording counts the lost link");
        monitor.Interrupt();
        CliResult result = monitor.WaitForExit();
        Assert.AreEqual(ExitCodes.Interrupted, result.ExitCode, result.ToString());

        var rows = Rows();
        Assert.IsTrue(rows.Length >= 50);
        AssertRowsAreTheRigsTicks(rows);
        CollectionAssert.AreEqual(rows.Select(r => r.Tick).OrderBy(t => t).ToArray(), rows.Select(r => r.Tick).ToArray(), "time increases");
        MonitorSummary summary = MonitorSummary.FromJson(File.ReadAllText(Path.Combine(Output, "summary.json")))!;
        Assert.AreEqual("interrupted", summary.Ending);
        StringAssert.Contains(summary.EndingDetail, "the link was down at the end");
        Assert.AreEqual(rows.Length, summary.Rows);
        StringAssert.Contains(result.StandardOutput, "link lost");
    }

    [TestMethod]
    public void MonitorReconnectsToARunningRigAndGoesOnRecordingIntoTheSameLog()
    {
        using PtyPair cable = PtyPair.Start();
        using var rig = new ScriptedRig(cable.RigPort);
        using CliProcess monitor = CliProcess.Start(WorkDirectory, "monitor", "--port", cable.HostPort, "--out", Output);
        WaitUntil(() => RowsOnDisk() >= 50, "monitor recorded 50 rows");
        cable.Pull();
        int rowsBefore = RowsOnDisk();
        System.Threading.Thread.Sleep(1500); // the cable stays out for a while; the rig's clock runs on
        cable.PlugIn();
        WaitUntil(() => RowsOnDisk() >= rowsBefore + 50, "monitor recorded 50 more rows after the cable came back");
        monitor.Interrupt();
        CliResult result = monitor.WaitForExit();
        Assert.AreEqual(ExitCodes.Interrupted, result.ExitCode, result.ToString());

        var rows = Rows();
        AssertRowsAreTheRigsTicks(rows);
        uint[] ticks = rows.Select(r => r.Tick).ToArray();
        CollectionAssert.AreEqual(ticks.OrderBy(t => t).ToArray(), ticks, "one log, time increasing across the reconnection");
        int jumps = ticks.Zip(ticks.Skip(1), (a, b) => b - a).Count(step => step > 1);
        Assert.IsTrue(jumps >= 1, "the ticks the rig ran while the cable was out show as a gap");
        MonitorSummary summary = MonitorSummary.FromJson(File.ReadAllText(Path.Combine(Output, "summary.json")))!;
        Assert.AreEqual(2, summary.Connections, result.ToString());
        Assert.AreEqual(1, summary.Disconnections);
        Assert.AreEqual(jumps, summary.Gaps);
        StringAssert.Contains(result.StandardOutput, "connected again");
    }

    [TestMethod]
    public void APortThatDoesNotExistIsRefusedAtOnceAndNothingIsWritten()
    {
        CliResult result = Run("monitor", "--port", Path.Combine(WorkDirectory, "no-such-port"), "--out", Output);
        Assert.AreEqual(ExitCodes.BadInput, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, "--port");
        Assert.IsFalse(Directory.Exists(Output), "nothing half-done");
    }

    [TestMethod]
    [DataRow("--duration", "0", "--duration must be in (0, 86400] s")]
    [DataRow("--excite", "0.5", "--excite must be in [1, 600] s")]
    [DataRow("--excite", "601", "--excite must be in [1, 600] s")]
    [DataRow("--baud", "300", "--baud must be in [1200, 4000000]")]
    public void AnOptionOutOfRangeIsRefusedNamingItAndNothingIsWritten(string option, string value, string message)
    {
        CliResult result = Run("monitor", "--port", "/dev/null", "--out", Output, option, value);
        Assert.AreEqual(ExitCodes.BadInput, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, message);
        Assert.IsFalse(Directory.Exists(Output), "nothing half-done");
    }

    [TestMethod]
    public void StartAndExciteExcludeEachOther()
    {
        CliResult result = Run("monitor", "--port", "/dev/null", "--out", Output, "--start", "--excite", "10");
        Assert.AreEqual(ExitCodes.BadInput, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, "--start and --excite exclude each other");
    }

    [TestMethod]
    public void AnEarlierRecordingIsRefused()
    {
        Directory.CreateDirectory(Output);
        File.WriteAllText(LogPath, "earlier\n");
        CliResult result = Run("monitor", "--port", "/dev/null", "--out", Output);
        Assert.AreEqual(ExitCodes.BadInput, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, "already holds a log.csv");
        Assert.AreEqual("earlier\n", File.ReadAllText(LogPath));
    }
}
