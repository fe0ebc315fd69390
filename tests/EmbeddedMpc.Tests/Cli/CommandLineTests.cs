using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Cli;

/// <summary>
/// A command line that never surprises: every error names the option a user typed and what it accepts,
/// before anything is computed or written; options a planner would ignore are refused; the help says what
/// each planner does; each command works with its own defaults.
/// </summary>
[TestClass]
public sealed class CommandLineTests : CliTestBase
{
    [TestMethod]
    [DataRow("--samples", "0", "--samples must be an integer in [2, 100000] for planner", "Parameter")]
    [DataRow("--seed", "-1", "--seed: '-1' is not accepted; accepted: a whole number in [0, 4294967295].", "System.UInt32")]
    [DataRow("--duration", "soon", "--duration: 'soon' is not accepted; accepted: a number.", "System.Double")]
    public void AnErrorNamesTheOptionNeverAnInternalNameOrType(string option, string value, string message, string internalName)
    {
        string output = Path.Combine(WorkDirectory, "out");
        CliResult result = Run("run", option, value, "--out", output);
        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, message, result.ToString());
        Assert.IsFalse(result.StandardError.Contains(internalName, StringComparison.Ordinal), result.ToString());
        Assert.IsFalse(Directory.Exists(output));
    }

    [TestMethod]
    public void AnOptionThePlannerConvertsIsRefusedWithTheRangeInTheOptionsOwnUnits()
    {
        // icem-esp32 places one knot every 5 model steps and holds at most 1000 knots: --horizon counts model
        // steps, so the range stated must be in steps (a range in knots, "[1, 1000]; got 1001", names a
        // value the user never typed).
        string output = Path.Combine(WorkDirectory, "out");
        CliResult result = Run("run", "--planner", "icem-esp32", "--horizon", "5000", "--out", output);
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, "--horizon must be an integer in [5, 4995] for planner 'icem-esp32'; got 5000.", result.ToString());
        Assert.IsFalse(Directory.Exists(output));
    }

    [TestMethod]
    [DataRow("mcts", "--samples,--horizon,--elites", "--samples 500 --elites 3 --horizon 5")]
    [DataRow("ilqr", "--samples,--elites", "--samples 500 --elites 3 --horizon 20")]
    [DataRow("energy-lqr", "--iterations", "--iterations 4")]
    [DataRow("shooting", "--elites", "--samples 50 --elites 3")]
    public void AnOptionThePlannerDoesNotUseIsRefusedByName(string planner, string refused, string options)
    {
        string output = Path.Combine(WorkDirectory, "out");
        CliResult result = Run(["run", "--planner", planner, .. options.Split(' '), "--out", output]);
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, $"planner '{planner}' does not use", result.ToString());
        foreach (string name in refused.Split(','))
        {
            StringAssert.Contains(result.StandardError, name, result.ToString());
        }

        Assert.IsFalse(Directory.Exists(output));
    }

    [TestMethod]
    public void AnOutputThatIsAFileOrCannotBeWrittenIsRefusedBeforeComputing()
    {
        string file = Path.Combine(WorkDirectory, "a-file");
        File.WriteAllText(file, "mine");
        // 3600 s of cem-pets would run for minutes: a refusal within the test's timeout shows nothing was computed.
        CliResult onFile = Run("run", "--planner", "cem-pets", "--duration", "3600", "--out", file);
        Assert.AreEqual(2, onFile.ExitCode, onFile.ToString());
        StringAssert.Contains(onFile.StandardError, "--out", onFile.ToString());
        StringAssert.Contains(onFile.StandardError, "is a file", onFile.ToString());
        Assert.AreEqual("mine", File.ReadAllText(file));

        // /proc takes no new entries, even for root (who may write to any read-only directory).
        CliResult readOnly = Run("run", "--planner", "cem-pets", "--duration", "3600", "--out", "/proc/embeddedmpc-out");
        Assert.AreEqual(2, readOnly.ExitCode, readOnly.ToString());
        StringAssert.Contains(readOnly.StandardError, "--out '/proc/embeddedmpc-out' cannot be written", readOnly.ToString());

        CliResult bench = Run("bench", "--planners", "cem-pets", "--seeds", "20", "--duration", "3600", "--out", file);
        Assert.AreEqual(2, bench.ExitCode, bench.ToString());
        StringAssert.Contains(bench.StandardError, "is a file", bench.ToString());
    }

    [TestMethod]
    public void AParseErrorPrintsItsOneLineErrorFirstThenAShortHint()
    {
        CliResult result = Run("run", "--frobnicate", "1");
        Assert.AreEqual(HostSim.Cli.ExitCodes.MalformedCommandLine, result.ExitCode, result.ToString());
        string[] lines = result.ErrorLines;
        StringAssert.StartsWith(lines[0], "error: ", result.ToString());
        StringAssert.Contains(lines[0], "--frobnicate");
        // The error, then one line of usage: not the 40 lines of the full help.
        Assert.IsTrue(lines.Length <= 3, result.ToString());
        StringAssert.Contains(lines[^1], "run --help");
        Assert.AreEqual("", result.StandardOutput.Trim(), "the help is not printed");
    }

    [TestMethod]
    public void TheHelpIsTrueForEveryPlanner()
    {
        CliResult result = Run("run", "--help");
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        string help = string.Join(" ", result.StandardOutput.Split('\n').Select(l => l.Trim()));
        StringAssert.Contains(help, "excite", "--task lists every task");
        StringAssert.Contains(help, $"[default: {RunSettings.DefaultPlanner}]");
        foreach (PlannerEntry entry in PlannerCatalog.Entries)
        {
            PlannerSizes sizes = PlannerCatalog.Build(new RunSettings { Planner = entry.Name }, EmbeddedMpc.Core.Model.RigProfiles.Esp32Rig()).Sizes;
            if (entry.Name != "mcts" && sizes.HorizonSteps > 0)
            {
                // --horizon counts the planner's own model steps: 20 ms for some planners, 40 ms for others.
                string horizon = help[help.IndexOf("--horizon <horizon>", StringComparison.Ordinal)..];
                horizon = horizon[..horizon.IndexOf("--iterations <", StringComparison.Ordinal)];
                string stated = $"{sizes.HorizonSteps} x {sizes.ModelStepSeconds * 1000:0} ms";
                int at = horizon.IndexOf(stated, StringComparison.Ordinal);
                Assert.IsTrue(at > 0 && horizon[..at].Contains(entry.Name, StringComparison.Ordinal), $"--horizon's help does not give {entry.Name} {stated}: {horizon}");
            }
        }
    }

    [TestMethod]
    public void OpenLoopWorksWithItsOwnDefaults()
    {
        string output = Path.Combine(WorkDirectory, "open-loop");
        CliResult result = Run("open-loop", "--duration", "2", "--out", output);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.IsTrue(File.Exists(Path.Combine(output, "comparison.png")));
    }

    [TestMethod]
    public void HilOnAPortThatDoesNotExistSaysSo()
    {
        CliResult result = Run("hil", "--port", "/dev/ttyNOPE", "--duration", "1", "--out", Path.Combine(WorkDirectory, "hil"));
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, "'/dev/ttyNOPE' does not exist", result.ToString());
        Assert.IsFalse(result.StandardError.Contains("denied", StringComparison.OrdinalIgnoreCase), result.ToString());
    }

    [TestMethod]
    public void AConfigFileSetsOptionsAndTheCommandLineWins()
    {
        string config = Path.Combine(WorkDirectory, "config.json");
        File.WriteAllText(config, """{ "planner": "icem-dm", "seed": 7, "duration": 1, "delayTicks": 1, "homed": true }""");
        string output = Path.Combine(WorkDirectory, "out");
        CliResult result = Run("run", "--config", config, "--seed", "3", "--out", output);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        Assert.AreEqual("icem-dm", summary.RootElement.GetProperty("planner").GetString());
        Assert.AreEqual(3, summary.RootElement.GetProperty("seed").GetInt32(), "the command line wins over the file");
        Assert.IsTrue(summary.RootElement.GetProperty("startedHomed").GetBoolean());
        Assert.AreEqual(1, summary.RootElement.GetProperty("settings").GetProperty("delayTicks").GetInt32());

        File.WriteAllText(config, """{ "planer": "icem-dm" }""");
        CliResult unknown = Run("run", "--config", config, "--out", Path.Combine(WorkDirectory, "refused"));
        Assert.AreEqual(2, unknown.ExitCode, unknown.ToString());
        StringAssert.Contains(unknown.StandardError, "no setting 'planer'", unknown.ToString());
        StringAssert.Contains(unknown.StandardError, "planner", unknown.ToString());
    }

    [TestMethod]
    public void ARunsSummaryRepeatsTheRunAsAConfig()
    {
        string first = Path.Combine(WorkDirectory, "first");
        CliResult original = Run("run", "--planner", "mppi", "--seed", "4", "--duration", "2", "--mismatch", "0.1", "--delay-ticks", "1", "--out", first);
        Assert.AreEqual(0, original.ExitCode, original.ToString());
        string again = Path.Combine(WorkDirectory, "again");
        CliResult repeated = Run("run", "--config", Path.Combine(first, "summary.json"), "--out", again);
        Assert.AreEqual(0, repeated.ExitCode, repeated.ToString());

        // Same seed and settings: the same trajectory, row by row (all but the measured planning time).
        string[] a = File.ReadAllLines(Path.Combine(first, "log.csv"));
        string[] b = File.ReadAllLines(Path.Combine(again, "log.csv"));
        Assert.AreEqual(a.Length, b.Length);
        int planningColumn = Array.IndexOf(a[0].Split(','), "planning_us");
        for (int i = 0; i < a.Length; i++)
        {
            string[] x = a[i].Split(',');
            string[] y = b[i].Split(',');
            x[planningColumn] = y[planningColumn] = "";
            CollectionAssert.AreEqual(x, y, $"row {i}");
        }
    }
}
