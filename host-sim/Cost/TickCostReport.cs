using System;
using System.Linq;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Cost;

/// <summary>
/// The interpreter cost of a planner's control ticks: IL instructions the Core executes per planning
/// tick (<see cref="InstrumentedCore"/>), the model steps, and what that takes on an ESP32 by
/// <see cref="InterpreterCostModel"/>.
/// </summary>
/// <param name="Settings">The run measured (always started homed: every tick after the first plans).</param>
/// <param name="Ticks">Control ticks run.</param>
/// <param name="PlanningTicks">Ticks of the task's first planning mode (SwingUp for a swing-up, Balance for a balance task), the ones the median and the model steps are over.</param>
/// <param name="IlMedian">Median IL instructions of those ticks.</param>
/// <param name="IlMax">Largest IL instructions of any tick in SwingUp or Balance (the one the budget must hold).</param>
/// <param name="ModelStepsMedian">Median model steps of the planning ticks.</param>
/// <param name="ModelStepsMax">Most model steps of a tick.</param>
public sealed record TickCostReport(RunSettings Settings, int Ticks, int PlanningTicks, long IlMedian, long IlMax, int ModelStepsMedian, int ModelStepsMax)
{
    /// <summary>Whether the largest planning tick fits the planning budget at the slow end of the ESP32 estimate.</summary>
    public bool Fits => IlMax <= InterpreterCostModel.PlanningBudgetIlInstructions;

    /// <summary>Measures <paramref name="settings"/> (started homed) over <paramref name="ticks"/> control ticks.</summary>
    /// <param name="settings">The run.</param>
    /// <param name="ticks">Control ticks.</param>
    /// <param name="corePath">The compiled Core to count on (default: the simulator's own, see <see cref="InstrumentedCore.Measure"/>).</param>
    /// <exception cref="ArgumentException">A setting is out of range, or no tick planned.</exception>
    public static TickCostReport Measure(RunSettings settings, int ticks, string? corePath = null)
    {
        RunSettings homed = settings with { StartHomed = true };
        TickCost[] costs = InstrumentedCore.Measure(homed, ticks, corePath);
        TickCost[] planning = costs.Where(c => c.Mode is SupervisorMode.SwingUp or SupervisorMode.Balance).ToArray();
        if (planning.Length == 0)
        {
            throw new ArgumentException($"no tick of {ticks} planned (the supervisor never reached SwingUp or Balance).");
        }

        // The swing-up planner's ticks, not the balance policy's (an LQR tick is some 1,000 instructions).
        SupervisorMode first = settings.Task == ControlTask.SwingUp ? SupervisorMode.SwingUp : SupervisorMode.Balance;
        TickCost[] planner = planning.Where(c => c.Mode == first).ToArray();
        planner = planner.Length > 0 ? planner : planning;
        long[] il = planner.Select(c => c.IlInstructions).OrderBy(v => v).ToArray();
        int[] steps = planner.Select(c => c.ModelSteps).OrderBy(v => v).ToArray();
        return new TickCostReport(homed, ticks, planner.Length, il[il.Length / 2], planning.Max(c => c.IlInstructions), steps[steps.Length / 2], planning.Max(c => c.ModelSteps));
    }
}
