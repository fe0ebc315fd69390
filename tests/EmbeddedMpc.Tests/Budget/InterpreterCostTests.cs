using System.Linq;
using EmbeddedMpc.HostSim.Cost;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Budget;

/// <summary>
/// The deterministic cost measure (IL instructions a control tick executes, counted on an instrumented copy
/// of the Core) and the budget the firmware's planner must fit: 16 ms of a 20 ms tick on an ESP32 at the slow
/// end of the interpreter estimate (<see cref="InterpreterCostModel"/>). Counted on the Core compiled with
/// optimization (<see cref="ReleaseCore"/>), as the device image is.
/// </summary>
[TestClass]
public sealed class InterpreterCostTests
{
    private const int Ticks = 400;

    [TestMethod]
    public void TheFirmwaresPlannerFitsTheEsp32PlanningBudgetWithATenthToSpare()
    {
        // Scenario: the firmware's planner (the Core definition icem-esp32-adapt, online adaptation included), a
        // homed swing-up on esp32-rig, seeds 1 to 3, 400 ticks each (swing-up and balance). Every tick in SwingUp
        // or Balance must stay within 90 % of the budget in IL instructions: the largest tick, not the median,
        // since one late tick is an overrun, and a tenth of the budget spare because the IL count is a model of
        // the interpreter's time, not a measurement of the board (measured: 88 % at most over seeds 1 to 5).
        string planner = EmbeddedMpc.Firmware.FirmwareSettings.Planner().Name;
        long limit = InterpreterCostModel.PlanningBudgetIlInstructions * 9 / 10;
        foreach (uint seed in new uint[] { 1, 2, 3 })
        {
            TickCostReport report = TickCostReport.Measure(new RunSettings { Planner = planner, Seed = seed, DurationSeconds = 3600 }, Ticks, ReleaseCore.Path);
            Assert.IsTrue(report.PlanningTicks > 50, $"seed {seed}: only {report.PlanningTicks} swing-up ticks");
            Assert.IsTrue(report.IlMax <= limit, $"{planner}, seed {seed}: the largest tick executes {report.IlMax:N0} IL instructions; 90 % of the budget is {limit:N0}");
        }
    }

    [TestMethod]
    public void ThePcPlannersDoNotFitAndAreReportedSo()
    {
        // icem-dm's swing-up ticks (300 model steps) are some 8 times the budget: the measure must say so.
        TickCostReport report = TickCostReport.Measure(new RunSettings { Planner = "icem-dm", Seed = 1, DurationSeconds = 3600 }, Ticks, ReleaseCore.Path);
        Assert.IsFalse(report.Fits);
        Assert.AreEqual(300, report.ModelStepsMax);
        Assert.IsTrue(report.IlMax > 4 * InterpreterCostModel.PlanningBudgetIlInstructions, $"{report.IlMax:N0}");
    }

    [TestMethod]
    public void TheCountIsDeterministicAndGrowsWithTheModelSteps()
    {
        // The same seeded run counted twice gives the same instructions tick by tick, and a tick of many model
        // steps costs a few hundred to a few thousand instructions per step (a model step with its cost is
        // some 900; 0 or millions would mean the instrumentation counts nothing or counts wrongly).
        var settings = new RunSettings { Planner = "icem-esp32", Seed = 4, DurationSeconds = 3600, StartHomed = true };
        TickCost[] first = InstrumentedCore.Measure(settings, 120, ReleaseCore.Path);
        TickCost[] second = InstrumentedCore.Measure(settings, 120, ReleaseCore.Path);
        CollectionAssert.AreEqual(first, second);
        TickCost[] planning = first.Where(t => t.ModelSteps > 0).ToArray();
        Assert.IsTrue(planning.Length > 50);
        foreach (TickCost tick in planning)
        {
            double perStep = (double)tick.IlInstructions / tick.ModelSteps;
            Assert.IsTrue(perStep > 300 && perStep < 3000, $"{perStep:F0} IL instructions per model step");
        }
    }

    [TestMethod]
    public void TheBudgetIsSixteenMillisecondsAtTheSlowEndOfTheEsp32Estimate()
    {
        // The budget converts back to 16 ms at 60 times the slower of the two nanoCLR/x86 calibration rates.
        double nanosecondsPerInstruction = InterpreterCostModel.Esp32NanosecondsPerIlInstruction(InterpreterCostModel.Esp32SlowdownSlowEnd);
        double budgetMilliseconds = InterpreterCostModel.PlanningBudgetIlInstructions * nanosecondsPerInstruction * 1e-6;
        Assert.AreEqual(16.0, budgetMilliseconds, 0.001);
        Assert.AreEqual(60.0 * 2_000_000.0 / 249_216, nanosecondsPerInstruction, 1e-6, "the icem-dm anchor is the slower one");
    }
}
