using System;
using System.CommandLine;
using System.Globalization;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Cost;
using EmbeddedMpc.HostSim.Simulation;
using Spectre.Console;

namespace EmbeddedMpc.HostSim.Cli;

/// <summary>
/// The `cost` command: IL instructions a planner's control ticks execute on the Core (counted on an
/// instrumented copy, deterministic), and what that takes on an ESP32 by the interpreter cost model.
/// </summary>
public static class CostCommand
{
    /// <summary>Default and allowed number of control ticks.</summary>
    public const int DefaultTicks = 500, MaxTicks = 100000;

    public static Command Create()
    {
        var planner = new Option<string>("--planner") { Description = "Planner: " + string.Join(", ", PlannerCatalog.Names) + ".", DefaultValueFactory = _ => RunSettings.DefaultPlanner };
        planner.AcceptOnlyFromAmong(PlannerCatalog.Names);
        var profile = new Option<string>("--profile") { Description = $"Rig profile: {RigProfiles.AllNames}.", DefaultValueFactory = _ => RigProfiles.Esp32RigName };
        profile.AcceptOnlyFromAmong(RigProfiles.AllNames.Split(", "));
        var task = new Option<string>("--task") { Description = "swingup or balance.", DefaultValueFactory = _ => "swingup" };
        task.AcceptOnlyFromAmong("swingup", "balance");
        var seed = new Option<uint>("--seed") { Description = "Seed of the start state and the planner's samples.", DefaultValueFactory = _ => 1u };
        var ticks = new Option<int>("--ticks") { Description = $"Control ticks to run from a homed rig, [1, {MaxTicks}].", DefaultValueFactory = _ => DefaultTicks };
        var samples = new Option<int?>("--samples") { Description = PlannerHelp.Samples };
        var horizon = new Option<int?>("--horizon") { Description = PlannerHelp.Horizon };
        var iterations = new Option<int?>("--iterations") { Description = PlannerHelp.Iterations };
        var elites = new Option<int?>("--elites") { Description = PlannerHelp.Elites };
        var command = new Command("cost",
            "Count the IL instructions the Core executes per planning tick (an instrumented copy of the Core, deterministic) and estimate the ESP32's time for them.");
        foreach (Option option in new Option[] { planner, profile, task, seed, ticks, samples, horizon, iterations, elites })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            int tickCount = parse.GetValue(ticks);
            if (tickCount < 1 || tickCount > MaxTicks)
            {
                return CliErrors.Report($"--ticks {tickCount.ToString(CultureInfo.InvariantCulture)} is out of range; accepted: 1 to {MaxTicks.ToString(CultureInfo.InvariantCulture)}.");
            }

            var settings = new RunSettings
            {
                Planner = parse.GetValue(planner)!,
                ProfileName = parse.GetValue(profile)!,
                Task = RunSettings.ParseTask(parse.GetValue(task)!),
                Seed = parse.GetValue(seed),
                Samples = parse.GetValue(samples),
                Horizon = parse.GetValue(horizon),
                Iterations = parse.GetValue(iterations),
                Elites = parse.GetValue(elites),
                DurationSeconds = 3600,
            };
            TickCostReport report;
            try
            {
                // As for `run`: a size out of range is named by its option, a size the planner does not use is refused.
                PlannerOptionCheck.Validate(settings);
                report = TickCostReport.Measure(settings, tickCount);
            }
            catch (ArgumentException error)
            {
                return CliErrors.Report(error.Message);
            }

            Print(report);
            if (InstrumentedCore.LoadedCoreIsUnoptimized)
            {
                Console.WriteLine("note: counted on a Debug build of the Core, whose IL is some 20 % longer than a Release image's; run with -c Release for the figures the budget is stated in.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(TickCostReport report)
    {
        RunSettings s = report.Settings;
        double budgetMs = InterpreterCostModel.PlanningBudgetMicroseconds / 1000.0;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("per tick").AddColumn(new TableColumn("median").RightAligned()).AddColumn(new TableColumn("max").RightAligned());
        table.Title = new TableTitle($"{s.Planner} · {RunSettings.TaskName(s.Task)} · {s.ProfileName} · seed {s.Seed} · {report.Ticks} ticks, {report.PlanningTicks} in {(s.Task == ControlTask.SwingUp ? "SwingUp" : "Balance")}");
        table.AddRow("IL instructions", N(report.IlMedian), N(report.IlMax));
        table.AddRow("model steps", N(report.ModelStepsMedian), N(report.ModelStepsMax));
        table.AddRow("nanoCLR on x86, ms (calibration)", Ms(InterpreterCostModel.NanoClrX86Milliseconds(report.IlMedian)), Ms(InterpreterCostModel.NanoClrX86Milliseconds(report.IlMax)));
        table.AddRow($"ESP32 240 MHz, ms, fast end ({InterpreterCostModel.Esp32SlowdownFastEnd:F0}x)", Ms(InterpreterCostModel.Esp32Milliseconds(report.IlMedian, InterpreterCostModel.Esp32SlowdownFastEnd)), Ms(InterpreterCostModel.Esp32Milliseconds(report.IlMax, InterpreterCostModel.Esp32SlowdownFastEnd)));
        table.AddRow($"ESP32 240 MHz, ms, slow end ({InterpreterCostModel.Esp32SlowdownSlowEnd:F0}x)", Ms(InterpreterCostModel.Esp32Milliseconds(report.IlMedian, InterpreterCostModel.Esp32SlowdownSlowEnd)), Ms(InterpreterCostModel.Esp32Milliseconds(report.IlMax, InterpreterCostModel.Esp32SlowdownSlowEnd)));
        AnsiConsole.Write(table);
        Console.WriteLine($"budget: {N(InterpreterCostModel.PlanningBudgetIlInstructions)} IL instructions = {budgetMs:F0} ms of a {InterpreterCostModel.ControlPeriodMicroseconds / 1000} ms tick at the slow end ({InterpreterCostModel.Esp32NanosecondsPerIlInstruction(InterpreterCostModel.Esp32SlowdownSlowEnd):F0} ns per IL instruction)");
        Console.WriteLine(report.Fits
            ? $"fits: the largest planning tick uses {100.0 * report.IlMax / InterpreterCostModel.PlanningBudgetIlInstructions:F0} % of the budget"
            : $"does not fit: the largest planning tick needs {(double)report.IlMax / InterpreterCostModel.PlanningBudgetIlInstructions:F1} x the budget");
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
