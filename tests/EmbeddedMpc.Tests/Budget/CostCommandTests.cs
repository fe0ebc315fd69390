using EmbeddedMpc.Tests.Simulator;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Budget;

/// <summary>The `cost` command on the command line.</summary>
[TestClass]
public sealed class CostCommandTests
{
    [TestMethod]
    public void CostPrintsTheCountsTheBudgetAndTheVerdict()
    {
        CliTests.CliResult result = CliTests.Run("cost", "--planner", "icem-esp32", "--ticks", "150");
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardOutput, "IL instructions");
        StringAssert.Contains(result.StandardOutput, "ESP32 240 MHz");
        StringAssert.Contains(result.StandardOutput, "budget: 33,228 IL instructions");
        // The verdict (the tests' build of the Core may be a Debug one, whose IL is longer: either verdict).
        StringAssert.Matches(result.StandardOutput, new System.Text.RegularExpressions.Regex("(fits|does not fit): the largest planning tick"));
    }

    [TestMethod]
    public void AnOutOfRangeTickCountIsNamedWithExitCode2()
    {
        CliTests.CliResult result = CliTests.Run("cost", "--ticks", "0");
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, "--ticks");
        StringAssert.Contains(result.StandardError, "1 to 100000");
    }

    [TestMethod]
    public void ASizeThePlannerDoesNotUseIsRefusedAsByRun()
    {
        // mcts's tree sets its own sizes: counting it "with 5 samples" would report a planner that was not asked for.
        CliTests.CliResult result = CliTests.Run("cost", "--planner", "mcts", "--samples", "5", "--ticks", "10");
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, "planner 'mcts' does not use --samples");
    }
}
