using System.IO;
using System.Linq;
using System.Text.Json;
using EmbeddedMpc.HostSim.Output;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM: a command stops within a tick, leaves no staging directory and no
/// half-written output, and exits with 130; `bench` keeps the runs it finished.
/// </summary>
[TestClass]
public sealed class InterruptTests : CliTestBase
{
    [TestMethod]
    public void LearnInterruptedLeavesNoStagingDirectory()
    {
        string output = Path.Combine(WorkDirectory, "learn");
        // Long attempts, so that the signal arrives while the outputs are being staged.
        using CliProcess learn = CliProcess.Start(WorkDirectory, "learn", "--attempt-seconds", "600", "--out", output);
        WaitUntil(() => StagingDebris().Length > 0, "learn stages its outputs while it runs");
        learn.Interrupt();
        CliResult result = learn.WaitForExit();

        Assert.AreEqual(HostSim.Cli.ExitCodes.Interrupted, result.ExitCode, result.ToString());
        Assert.AreEqual(0, StagingDebris().Length, string.Join(", ", StagingDebris()));
        Assert.IsFalse(Directory.Exists(output), "nothing half-done is written");
    }

    [TestMethod]
    public void ARunStoppedBySigtermWritesNothing()
    {
        string output = Path.Combine(WorkDirectory, "run");
        // An hour of cem (2,880 model steps a tick) computes for minutes, so the signal always lands mid-run; an hour
        // of energy-lqr, which plans nothing, took only seconds and could end before a busy machine sent the signal.
        using CliProcess run = CliProcess.Start(WorkDirectory, "run", "--planner", "cem", "--duration", "3600", "--out", output);
        run.WaitForErrorLine("run: "); // its progress: it is computing
        run.Signal("TERM");
        CliResult result = run.WaitForExit();

        Assert.AreEqual(HostSim.Cli.ExitCodes.Interrupted, result.ExitCode, result.ToString());
        Assert.IsFalse(Directory.Exists(output));
        Assert.AreEqual(0, StagingDebris().Length);
    }

    [TestMethod]
    public void BenchInterruptedKeepsTheRunsItFinished()
    {
        string output = Path.Combine(WorkDirectory, "bench");
        // One core, so runs go in order: the short energy-lqr run finishes, the hour of cem is interrupted.
        using CliProcess bench = CliProcess.Start(WorkDirectory, "bench", "--planners", "energy-lqr,cem", "--profiles", "esp32-rig",
            "--seeds", "1", "--parallel", "1", "--duration", "3600", "--out", output);
        bench.WaitForErrorLine("bench: 1 of 2 runs finished");
        bench.Interrupt();
        CliResult result = bench.WaitForExit();

        Assert.AreEqual(HostSim.Cli.ExitCodes.Interrupted, result.ExitCode, result.ToString());
        string markdown = File.ReadAllText(Path.Combine(output, "bench.md"));
        StringAssert.Contains(markdown, "Interrupted: 1 of 2 runs finished");
        StringAssert.Contains(markdown, "| energy-lqr | swingup | esp32-rig |");
        Assert.IsFalse(markdown.Contains("| cem |"), markdown);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "bench.json")));
        Assert.AreEqual(1, json.RootElement.GetProperty("cells").GetArrayLength());
        Assert.AreEqual(0, StagingDebris().Length);
    }
}
