using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Cli;

/// <summary>What a run writes reads at a glance: task time as in the summary, the pole's distance from upright, rounded figures.</summary>
[TestClass]
public sealed class RunOutputTests
{
    private static RunResult? s_run;
    private static string s_directory = "";

    /// <summary>The default esp32 rig powering on and homing, then 4 s of icem-dm swing-up (seed 1), written once.</summary>
    [ClassInitialize]
    public static void WriteOneRun(TestContext _)
    {
        s_run = ClosedLoopRun.Execute(new RunSettings { Planner = "icem-dm", DurationSeconds = 4, Seed = 1 });
        s_directory = Path.Combine(Path.GetTempPath(), "embeddedmpc-outputs-" + Guid.NewGuid().ToString("N"));
        RunOutputWriter.Write(s_run, s_directory);
    }

    [ClassCleanup]
    public static void DeleteRun() => Directory.Delete(s_directory, recursive: true);

    [TestMethod]
    public void PlotsCountTaskTimeFromTheFirstSwingUpTickAsTheSummaryDoes()
    {
        RunResult run = s_run!;
        double[] time = PlotParts.TaskTime(run);
        int first = Array.FindIndex(run.Log.Mode, 0, run.Log.Count, m => m is SupervisorMode.SwingUp or SupervisorMode.Balance);
        Assert.IsTrue(first > 0, "the run homes first");
        Assert.AreEqual(0.0, time[first], 1e-9, "task time 0 is the first swing-up tick");
        Assert.IsTrue(time[0] < -1, "homing shows before 0");
        Assert.AreEqual(run.Metrics.HomingSeconds, -time[0], 1e-9);
        foreach (string name in RunOutputWriter.FileNames.Where(n => n.EndsWith(".png", StringComparison.Ordinal)))
        {
            Assert.IsTrue(new FileInfo(Path.Combine(s_directory, name)).Length > 10_000, $"{name} is a real plot");
        }
    }

    [TestMethod]
    [DataRow(0f, 0.0)]
    [DataRow(3.1415927f, Math.PI)]
    [DataRow(6.296f, 0.0128147)] // balanced after one turn: the 6.296 rad of a log is 0.013 rad from upright
    [DataRow(-6.2f, 0.0831853)]
    [DataRow(9.5f, 3.0663706)]
    public void ThePoleIsPlottedAsItsDistanceFromUpright(float theta, double expected)
    {
        Assert.AreEqual(expected, PlotParts.FromUpright(theta), 1e-5);
    }

    [TestMethod]
    public void TheLogCarriesTheWrappedAngleBesideTheUnwrappedOne()
    {
        string[] lines = File.ReadAllLines(Path.Combine(s_directory, "log.csv"));
        string[] header = lines[0].Split(',');
        int unwrapped = Array.IndexOf(header, "theta_rad");
        int wrapped = Array.IndexOf(header, "theta_wrapped_rad");
        Assert.IsTrue(wrapped > 0, lines[0]);
        foreach (string line in lines.Skip(1))
        {
            string[] fields = line.Split(',');
            double theta = double.Parse(fields[unwrapped], CultureInfo.InvariantCulture);
            double w = double.Parse(fields[wrapped], CultureInfo.InvariantCulture);
            Assert.IsTrue(Math.Abs(w) <= Math.PI + 1e-6, line);
            Assert.AreEqual(0.0, Math.IEEERemainder(theta - w, 2 * Math.PI), 1e-5, line);
        }
    }

    [TestMethod]
    public void TheSummarysNumbersAreRoundedToWhatTheyMean()
    {
        string json = File.ReadAllText(Path.Combine(s_directory, "summary.json"));
        // Float noise shows as long tails of digits (1.7699999606609345); no figure resolves beyond 6 places.
        Match noise = Regex.Match(json, @"\d+\.\d{7,}");
        Assert.IsFalse(noise.Success, $"'{noise.Value}' in {json}");
        StringAssert.Contains(json, "\"controlPeriodSeconds\": 0.02,");
    }
}
