using System.Linq;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Bench;
using EmbeddedMpc.HostSim.Plants;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Plants;

/// <summary>The bench's robustness matrix: one cell per reality x mismatch x delay, each run on its own plant.</summary>
[TestClass]
public sealed class BenchMatrixTests
{
    [TestMethod]
    public void TheBenchRunsEveryRealityMismatchAndDelayAsItsOwnCell()
    {
        var settings = new BenchSettings
        {
            Planners = ["energy-lqr"],
            Profiles = [RigProfiles.Esp32RigName],
            Realities = [RealityLevel.Ideal, RealityLevel.Harsh],
            Mismatches = [0.0, 0.2],
            ActuationDelays = [0, 1],
            Seeds = 1,
            DurationSeconds = 1,
            Parallelism = 2,
        };

        BenchCell[] cells = BenchRunner.Run(settings);

        Assert.AreEqual(8, cells.Length);
        CollectionAssert.AreEquivalent(
            new[] { "ideal 0 0", "ideal 0 1", "ideal 0.2 0", "ideal 0.2 1", "harsh 0 0", "harsh 0 1", "harsh 0.2 0", "harsh 0.2 1" },
            cells.Select(c => $"{c.Reality} {c.Mismatch} {c.ActuationDelayTicks}").ToArray());
        Assert.IsTrue(cells.All(c => c.Plant == "equations" && c.Runs == 1));

        // The harsh plant is another plant: a run on it cannot score exactly what the ideal run scores.
        double Return(string reality) => cells.Single(c => c.Reality == reality && c.Mismatch == 0 && c.ActuationDelayTicks == 0).DmControlReturnMean;
        Assert.AreNotEqual(Return("ideal"), Return("harsh"));
    }
}
