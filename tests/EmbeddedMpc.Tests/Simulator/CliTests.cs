using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Simulator;

/// <summary>The simulator's command line, run as a user runs it: a separate process.</summary>
[TestClass]
public sealed class CliTests
{
    private string _workDirectory = "";

    [TestInitialize]
    public void CreateWorkDirectory()
    {
        _workDirectory = Path.Combine(Path.GetTempPath(), "embeddedmpc-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_workDirectory);
    }

    [TestCleanup]
    public void DeleteWorkDirectory()
    {
        Directory.Delete(_workDirectory, recursive: true);
    }

    [TestMethod]
    public void RunWritesTheSummaryTheLogAndThePlots()
    {
        string output = Path.Combine(_workDirectory, "out");
        CliResult result = Run("run", "--duration", "4", "--seed", "2", "--out", output);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardOutput, "success");

        // The files the README promises, spelled out: a list taken from the writer could not fail.
        foreach (string name in new[] { "summary.json", "log.csv", "state.png", "command.png", "planning-time.png" })
        {
            Assert.IsTrue(File.Exists(Path.Combine(output, name)), $"{name} missing; {result}");
        }

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        JsonElement root = summary.RootElement;
        foreach (string key in new[] { "task", "planner", "profile", "seed", "success", "timeToUprightSeconds", "dmControlReturn", "maxAbsCartPositionMeters", "modelStepsPerTick", "planningMicrosecondsMedian", "planningMicrosecondsP99", "allocatedBytesPerTick" })
        {
            Assert.IsTrue(root.TryGetProperty(key, out _), $"summary.json lacks '{key}'");
        }

        Assert.AreEqual("swingup", root.GetProperty("task").GetString());
        Assert.AreEqual(RunSettings.DefaultPlanner, root.GetProperty("planner").GetString());
        Assert.AreEqual("esp32-rig", root.GetProperty("profile").GetString());
        Assert.AreEqual(2, root.GetProperty("seed").GetInt32());
        Assert.AreEqual(0.0, root.GetProperty("allocatedBytesPerTick").GetDouble());

        string[] lines = File.ReadAllLines(Path.Combine(output, "log.csv"));
        // The format the README documents and scripts parse, as a literal: a change to the writer must fail here.
        const string GoldenHeader = "time_s,mode,x_m,x_dot_m_s,theta_rad,theta_dot_rad_s,est_x_m,est_x_dot_m_s,est_theta_rad,est_theta_dot_rad_s,command,force_n,duty,plan_cost,planning_us,model_steps,theta_wrapped_rad";
        Assert.AreEqual(GoldenHeader, lines[0]);
        int homingTicks = (int)Math.Round(root.GetProperty("homingSeconds").GetDouble() / 0.02);
        Assert.IsTrue(homingTicks > 0, "the default run powers on and homes first");
        Assert.AreEqual(1 + homingTicks + 200, lines.Length, "one row per 20 ms tick: homing, then 4 s of task");
        Assert.AreEqual(17, lines[^1].Split(',').Length, "a value for each of the 17 columns");

        byte[] png = File.ReadAllBytes(Path.Combine(output, "state.png"));
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.AreEqual(0, Directory.GetDirectories(_workDirectory).Length - 1, "no staging directory left behind");
    }

    [TestMethod]
    [DataRow("--planner", "gradient", "gradient")]
    [DataRow("--task", "juggle", "juggle")]
    [DataRow("--profile", "segway", "segway")]
    [DataRow("--seed", "-3", "-3")]
    [DataRow("--duration", "soon", "soon")]
    [DataRow("--frobnicate", "1", "--frobnicate")]
    public void AMalformedOptionIsNamedAndTheExitCodeIsNonZero(string option, string value, string named)
    {
        string output = Path.Combine(_workDirectory, "out");
        CliResult result = Run("run", option, value, "--out", output);
        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, named, result.ToString());
        Assert.IsFalse(Directory.Exists(output), "nothing is written for a bad command line");
    }

    [TestMethod]
    [DataRow("--samples", "0", "--samples must be an integer in [2, 100000] for planner 'cem'; got 0.")]
    [DataRow("--horizon", "5000", "--horizon must be an integer in [1, 1000] for planner 'cem'; got 5000.")]
    [DataRow("--elites", "50", "--elites must be an integer in [1, 24] for planner 'cem'; got 50.")]
    [DataRow("--duration", "-1", "--duration must be in [0.1, 3600] seconds; got -1.")]
    [DataRow("--mismatch", "NaN", "--mismatch must be in [0, 0.9]; got NaN.")]
    public void AnOutOfRangeSettingIsNamedWithItsRangeAndNothingIsWritten(string option, string value, string message)
    {
        string output = Path.Combine(_workDirectory, "out");
        CliResult result = Run("run", "--planner", "cem", option, value, "--out", output); // the ranges above are cem's
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, message, result.ToString());
        Assert.IsFalse(Directory.Exists(output), "nothing is written for a bad setting");
    }

    [TestMethod]
    public void OpenLoopWritesBothRunsAndTheComparisonAndRefusesAnUnknownStart()
    {
        string output = Path.Combine(_workDirectory, "open-loop");
        CliResult result = Run("open-loop", "--planner", "icem-dm", "--profile", "dm-control", "--duration", "6", "--out", output);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardOutput, "closed loop");
        StringAssert.Contains(result.StandardOutput, "open loop");
        Assert.IsTrue(File.Exists(Path.Combine(output, "comparison.png")), result.ToString());
        foreach (string run in new[] { "closed-loop", "open-loop" })
        {
            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, run, "summary.json")));
            Assert.AreEqual(run == "open-loop", summary.RootElement.GetProperty("openLoop").GetBoolean());
            Assert.AreEqual(4.0, summary.RootElement.GetProperty("pushAtSeconds").GetDouble(), "the default push");
        }

        // `run --open-loop` on the esp32 rig powers on somewhere unknown and homes: no plan can be made before the first tick.
        string refused = Path.Combine(_workDirectory, "refused");
        CliResult homing = Run("run", "--open-loop", "--duration", "6", "--out", refused);
        Assert.AreEqual(2, homing.ExitCode, homing.ToString());
        StringAssert.Contains(homing.StandardError, "--homed");
        Assert.IsFalse(Directory.Exists(refused));
    }

    [TestMethod]
    public void AnExistingOutputDirectoryKeepsItsOtherFiles()
    {
        string output = Path.Combine(_workDirectory, "out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");
        CliResult result = Run("run", "--duration", "1", "--out", output);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.AreEqual("mine", File.ReadAllText(Path.Combine(output, "notes.txt")));
        Assert.IsTrue(File.Exists(Path.Combine(output, "summary.json")));
    }

    internal sealed record CliResult(int ExitCode, string StandardOutput, string StandardError)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
    }

    internal static CliResult Run(params string[] arguments)
    {
        string simulator = Path.Combine(AppContext.BaseDirectory, "embeddedmpc-sim.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(simulator);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the simulator did not finish within 120 s");
        }

        return new CliResult(process.ExitCode, stdout.Result, stderr);
    }
}
