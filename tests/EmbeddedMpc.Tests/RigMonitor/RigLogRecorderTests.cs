using System;
using System.IO;
using System.Linq;
using System.Text;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Identification;
using EmbeddedMpc.HostSim.Monitor;
using EmbeddedMpc.HostSim.Output;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.RigMonitor;

/// <summary>
/// The rig's log.csv as `monitor` writes it: the columns of `run` with the true state empty, one whole
/// row per received tick on disk as soon as it arrives, lost ticks as gaps and never as invented rows.
/// </summary>
[TestClass]
public sealed class RigLogRecorderTests
{
    private const double PeriodSeconds = 0.02;
    private string _directory = "";

    [TestInitialize]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "embeddedmpc-recorder-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private string LogPath => Path.Combine(_directory, "log.csv");

    /// <summary>A swing-up tick whose fields are all different functions of the tick, so a row shows which tick it is.</summary>
    private static TelemetryRecord Tick(uint tick, SupervisorMode mode = SupervisorMode.SwingUp)
    {
        var record = new TelemetryRecord { TickIndex = tick, Mode = mode, Command = 0.25f, ForceNewtons = 1.5f, Duty = -0.5f, PlanCost = 3f, PlanningMicroseconds = 700 + (int)tick, ModelSteps = 40 };
        record.State.X = 0.001f * tick;
        record.State.XDot = 0.1f;
        record.State.Theta = 3f - 0.01f * tick;
        record.State.ThetaDot = -0.2f;
        return record;
    }

    /// <summary>The file as another process sees it while the recorder still has it open.</summary>
    private string ReadWhileOpen()
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [TestMethod]
    public void EveryRowIsOnDiskWholeAsSoonAsItIsRecorded()
    {
        using var recorder = new RigLogRecorder(LogPath, PeriodSeconds, []);
        Assert.AreEqual(CsvLogWriter.Header + "\n", ReadWhileOpen(), "the header is on disk before the first row");
        int columns = CsvLogWriter.Header.Split(',').Length;
        for (uint tick = 100; tick < 130; tick++)
        {
            TelemetryRecord record = Tick(tick);
            recorder.Record(ref record, "");
            string text = ReadWhileOpen();
            // A monitor killed right now leaves exactly this: it must end with a whole line.
            Assert.IsTrue(text.EndsWith('\n'), $"after tick {tick} the file ends in the middle of a line");
            string[] lines = text.TrimEnd('\n').Split('\n');
            Assert.AreEqual((int)(tick - 100) + 2, lines.Length, $"after tick {tick}: header plus one row per recorded tick");
            Assert.IsTrue(lines.All(l => l.Split(',').Length == columns), $"after tick {tick} a row has another number of fields than the header");
        }
    }

    [TestMethod]
    public void ARowCarriesTheEstimateAndLeavesTheTrueStateEmpty()
    {
        using (var recorder = new RigLogRecorder(LogPath, PeriodSeconds, []))
        {
            TelemetryRecord record = Tick(250);
            recorder.Record(ref record, "");
        }

        string[] lines = File.ReadAllLines(LogPath);
        string[] header = lines[0].Split(',');
        string[] row = lines[1].Split(',');
        string Field(string name) => row[Array.IndexOf(header, name)];
        Assert.AreEqual("5", Field("time_s"), "tick 250 at 20 ms is 5 s after power-on");
        Assert.AreEqual("swingup", Field("mode"));
        foreach (string truth in new[] { "x_m", "x_dot_m_s", "theta_rad", "theta_dot_rad_s", "theta_wrapped_rad" })
        {
            Assert.AreEqual("", Field(truth), $"{truth}: a rig has no true state");
        }

        Assert.AreEqual(0.25f, float.Parse(Field("est_x_m"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual(3f - 0.01f * 250, float.Parse(Field("est_theta_rad"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual("-0.5", Field("duty"));
        Assert.AreEqual("950", Field("planning_us"));
    }

    [TestMethod]
    public void LostTicksShowAsGapsThatSplitIdentificationSegments_NeverAsInventedRows()
    {
        using (var recorder = new RigLogRecorder(LogPath, PeriodSeconds, []))
        {
            foreach (uint tick in new uint[] { 10, 11, 12, 13, 17, 18, 19, 25, 26, 27, 28 })
            {
                TelemetryRecord record = Tick(tick);
                RecordOutcome outcome = recorder.Record(ref record, "");
                Assert.AreEqual(tick is 17 or 25 ? RecordOutcome.WrittenAfterGap : RecordOutcome.Written, outcome, $"tick {tick}");
            }

            Assert.AreEqual(11, recorder.Rows);
            Assert.AreEqual(2, recorder.Gaps);
            Assert.AreEqual(3 + 5, recorder.MissingTicks, "ticks 14-16 and 20-24");
        }

        string[] lines = File.ReadAllLines(LogPath);
        Assert.AreEqual(12, lines.Length, "a row per received tick and nothing else");
        IdentificationLog log = IdentificationLog.Parse(lines, "log.csv");
        CollectionAssert.AreEqual(new[] { 4, 3, 4 }, log.Segments.Select(s => s.Count).ToArray(), "identify sees three stretches of consecutive ticks");
        Assert.AreEqual(PeriodSeconds, log.PeriodSeconds, 1e-9);
    }

    [TestMethod]
    public void ARepeatedTickIsNotWrittenTwice_AndATickIndexThatFallsBackIsARestart()
    {
        using var recorder = new RigLogRecorder(LogPath, PeriodSeconds, []);
        TelemetryRecord first = Tick(40);
        TelemetryRecord again = Tick(40);
        TelemetryRecord earlier = Tick(3);
        Assert.AreEqual(RecordOutcome.Written, recorder.Record(ref first, ""));
        Assert.AreEqual(RecordOutcome.Duplicate, recorder.Record(ref again, ""));
        Assert.AreEqual(RecordOutcome.RigRestarted, recorder.Record(ref earlier, ""));
        Assert.AreEqual(1, recorder.Rows);
        Assert.AreEqual(1, recorder.Duplicates);
        Assert.AreEqual(2, ReadWhileOpen().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, "header and tick 40 only");
    }

    [TestMethod]
    public void ModesFaultsAndOverrunsAreCounted()
    {
        using var recorder = new RigLogRecorder(LogPath, PeriodSeconds, []);
        SupervisorMode[] modes = [SupervisorMode.Idle, SupervisorMode.Homing, SupervisorMode.Homing, SupervisorMode.SwingUp, SupervisorMode.Fault, SupervisorMode.Fault, SupervisorMode.Idle];
        for (int i = 0; i < modes.Length; i++)
        {
            TelemetryRecord record = Tick((uint)i, modes[i]);
            record.Fault = modes[i] == SupervisorMode.Fault ? FaultReason.TrackMargin : FaultReason.None;
            record.OverrunStreak = i == 3 ? 2 : 0;
            recorder.Record(ref record, "");
        }

        CollectionAssert.AreEqual(new[] { SupervisorMode.Idle, SupervisorMode.Homing, SupervisorMode.SwingUp, SupervisorMode.Fault, SupervisorMode.Idle }, recorder.Modes);
        CollectionAssert.AreEqual(new[] { FaultReason.TrackMargin }, recorder.Faults, "one entry into Fault");
        Assert.AreEqual(1, recorder.OverrunTicks);
        Assert.AreEqual(2, recorder.LongestOverrunStreak);
    }

    [TestMethod]
    public void AnEarlierRecordingIsNeverReplaced()
    {
        File.WriteAllText(LogPath, "earlier recording\n");
        Assert.ThrowsExactly<IOException>(() => new RigLogRecorder(LogPath, PeriodSeconds, []));
        Assert.AreEqual("earlier recording\n", File.ReadAllText(LogPath));
    }
}
