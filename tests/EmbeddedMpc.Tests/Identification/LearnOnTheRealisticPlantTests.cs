using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EmbeddedMpc.HostSim.Identification;
using EmbeddedMpc.HostSim.Plants;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Identification;

/// <summary>`learn` on the typical realistic plant: a model 30 % off becomes one that swings up, within 15 s of plant time.</summary>
[TestClass]
public sealed class LearnOnTheRealisticPlantTests
{
    private string _directory = "";

    [TestInitialize]
    public void CreateDirectory() => _directory = Path.Combine(Path.GetTempPath(), "embeddedmpc-learn-typical-" + Guid.NewGuid().ToString("N"));

    [TestCleanup]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [TestMethod]
    public void OnTheTypicalPlant_AThirtyPercentWrongModelFails_AndFiveSecondsOfSwingUpDataFixIt()
    {
        // Scenario: esp32-rig with the typical reality of seed 1 (friction, dead zone, PWM, supply, motor lag,
        // latency, disturbances), icem-dm, the model 30 % off. The first 10 s attempt with the wrong model
        // must fail, or the test would not show that learning helped; then 5 s of swing-up excitation with
        // that model, one identification from both logs, and the next attempt must succeed.
        IReadOnlyList<LearnRound> rounds = LearnLoop.Run(new LearnSettings
        {
            Seed = 1,
            Reality = RealityLevel.Typical,
            ExciteFirst = false,
            Excitation = LearnExcitation.SwingUp,
            ExciteSeconds = 5,
            AttemptSeconds = 10,
            MaxRounds = 2,
        }, _directory);

        Assert.IsFalse(rounds[0].Success, "the 30 % wrong model swings up on this rig by itself; choose a seed where it does not");
        Assert.IsTrue(rounds[^1].Success, string.Join("; ", rounds.Select(r => $"round {r.Round}: {r.Success}")));
        Assert.AreEqual(1, rounds[^1].Round, "one identification suffices (measured on seeds 1 to 20, see host-sim/README.md)");
    }

    [TestMethod]
    [DataRow(2u)]
    [DataRow(3u)]
    public void ExcitingFirst_TheSwingUpSucceedsWithinFifteenSecondsOfPlantTime(uint seed)
    {
        // Scenario: the command whose 20-seed figure host-sim/README.md gives (excite first with 5 s of
        // swing-up, then a 10 s attempt), on two of those seeds: success in the first attempt, so 15 s of
        // plant time in all (the target; PILCO needed 17.5 s), upright after 7.3 to 8.4 s of it (measured).
        IReadOnlyList<LearnRound> rounds = LearnLoop.Run(new LearnSettings
        {
            Seed = seed,
            Reality = RealityLevel.Typical,
            ExciteFirst = true,
            Excitation = LearnExcitation.SwingUp,
            ExciteSeconds = 5,
            AttemptSeconds = 10,
            MaxRounds = 2,
        }, _directory);

        Assert.IsTrue(rounds[^1].Success, $"seed {seed}: {rounds.Count} attempts");
        Assert.IsTrue(rounds[^1].PlantSeconds <= 15, $"{rounds[^1].PlantSeconds} s of plant time");
        Assert.IsTrue(rounds[^1].SecondsToSwingUp < 15, $"upright after {rounds[^1].SecondsToSwingUp} s");
        Assert.IsTrue(File.Exists(Path.Combine(_directory, "round-0", "excite", "log.csv")), "the excitation's log is kept");
    }
}
