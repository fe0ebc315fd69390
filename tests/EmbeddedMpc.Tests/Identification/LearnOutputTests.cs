using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EmbeddedMpc.HostSim.Identification;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Identification;

/// <summary>`learn` writes its outputs all together, replacing an earlier run's, or not at all.</summary>
[TestClass]
public sealed class LearnOutputTests
{
    // Seed 1: the 30 % wrong model fails its first attempt (IdentificationTests), so one round of
    // excitation and identification runs. Short runs keep the test fast: 4 s attempts (the least
    // accepted) and 12 s of excitation (identification needs 10 s of usable rows).
    private static readonly LearnSettings s_oneRound = new() { Seed = 1, ExciteFirst = false, Excitation = LearnExcitation.Multisine, AttemptSeconds = 4, ExciteSeconds = 12, MaxRounds = 1 };

    private string _parent = "";

    [TestInitialize]
    public void CreateParent()
    {
        _parent = Path.Combine(Path.GetTempPath(), "embeddedmpc-learn-output-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_parent);
    }

    [TestCleanup]
    public void DeleteParent() => Directory.Delete(_parent, recursive: true);

    [TestMethod]
    public void ARerun_ReplacesTheEarlierRunsRoundsAndReport_AndLeavesOtherFilesAlone()
    {
        string output = Path.Combine(_parent, "learn");
        // An earlier, longer run: rounds up to 7 and its report; and a file of the user's.
        Directory.CreateDirectory(Path.Combine(output, "round-7"));
        File.WriteAllText(Path.Combine(output, "round-7", "model.json"), "{}");
        File.WriteAllText(Path.Combine(output, LearnLoop.ReportFileName), "stale");
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");

        IReadOnlyList<LearnRound> rounds = LearnLoop.Run(s_oneRound, output);

        string[] roundFolders = Directory.GetDirectories(output).Select(Path.GetFileName).Order().ToArray()!;
        CollectionAssert.AreEqual(rounds.Select(r => $"round-{r.Round}").ToArray(), roundFolders, "exactly this run's rounds");
        Assert.AreEqual(2, rounds.Count, "the failed first attempt and one identification round");
        StringAssert.Contains(File.ReadAllText(Path.Combine(output, LearnLoop.ReportFileName)), "\"identificationRounds\": 1");
        Assert.IsTrue(File.Exists(Path.Combine(output, "round-0", "excite", "log.csv")));
        Assert.IsTrue(File.Exists(Path.Combine(output, "round-1", "model.json")));
        Assert.AreEqual("mine", File.ReadAllText(Path.Combine(output, "notes.txt")));
        CollectionAssert.AreEqual(new[] { "learn" }, Directory.GetFileSystemEntries(_parent).Select(Path.GetFileName).ToArray(), "no staging directory left beside the output");
    }

    [TestMethod]
    public void AnErrorInTheLoop_LeavesNothingBehind()
    {
        string output = Path.Combine(_parent, "learn");
        // The progress callback runs after each round's attempt, with round-0/ written in the staging
        // directory: failing there is a failure in the middle of the loop.
        var error = Assert.ThrowsExactly<InvalidOperationException>(() =>
            LearnLoop.Run(s_oneRound, output, _ => throw new InvalidOperationException("interrupted")));

        Assert.AreEqual("interrupted", error.Message);
        Assert.IsFalse(Directory.Exists(output), "no output directory");
        Assert.AreEqual(0, Directory.GetFileSystemEntries(_parent).Length, "no staging directory left");
    }
}
