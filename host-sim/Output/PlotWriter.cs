using System;
using System.Linq;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Simulation;
using ScottPlot;

namespace EmbeddedMpc.HostSim.Output;

/// <summary>
/// PNG plots of a run, all against task time with the supervisor's modes shaded (<see cref="PlotParts"/>):
/// state, command, planning time and plan cost, the pole's energy, and its phase portrait.
/// </summary>
public static class PlotWriter
{
    private const int Width = PlotParts.Width;
    private const int PanelHeight = PlotParts.PanelHeight;

    /// <summary>
    /// state.png: cart position with the usable track, the limit switches and the end stops; the pole's
    /// distance from upright (0 upright, pi hanging, however many turns) with the upright band; the pole's
    /// angular velocity. True and estimated.
    /// </summary>
    public static void WriteState(RunResult run, string path)
    {
        TickLog log = run.Log;
        double[] time = PlotParts.TaskTime(run);
        Multiplot multiplot = PlotParts.Stack(3);

        Plot position = multiplot.GetPlot(0);
        PlotParts.ShadeModes(position, run, time, legend: true);
        PlotParts.TrueAndEstimated(position, time, log.True.Take(log.Count).Select(s => (double)s.X).ToArray(), log.Estimated.Take(log.Count).Select(s => (double)s.X).ToArray());
        double track = run.Profile.CopyParameters().TrackHalfLengthMeters;
        PlotParts.Limit(position, track, $"usable track ±{track:0.###} m", Colors.DarkOrange, LinePattern.Dashed, mirrored: true);
        if (run.Profile.LimitSwitchOffsetMeters > 0)
        {
            PlotParts.Limit(position, track + run.Profile.LimitSwitchOffsetMeters, "limit switches", Colors.Red, LinePattern.Dotted, mirrored: true);
        }

        if (run.Profile.EndStopOffsetMeters > 0)
        {
            PlotParts.Limit(position, track + run.Profile.EndStopOffsetMeters, "end stops", Colors.Black, LinePattern.Solid, mirrored: true);
        }

        position.Title($"{run.Settings.ProfileName}, {RunSettings.TaskName(run.Settings.Task)}, {run.Settings.Planner}, seed {run.Settings.Seed}: "
            + (run.Metrics.Success ? $"upright at {run.Metrics.TimeToUprightSeconds:0.00} s" : "no success") + (run.Metrics.Fault != FaultReason.None ? $", fault: {ModeNames.Of(run.Metrics.Fault)}" : ""));
        position.YLabel("cart position (m)");

        Plot angle = multiplot.GetPlot(1);
        PlotParts.ShadeModes(angle, run, time, legend: false);
        PlotParts.TrueAndEstimated(angle, time, log.True.Take(log.Count).Select(s => PlotParts.FromUpright(s.Theta)).ToArray(), log.Estimated.Take(log.Count).Select(s => PlotParts.FromUpright(s.Theta)).ToArray());
        PlotParts.Limit(angle, RunMetrics.UprightAngleRadians, $"upright band {RunMetrics.UprightAngleRadians} rad", Colors.Green, LinePattern.Dashed);
        angle.Axes.SetLimitsY(0, Math.PI * 1.05);
        angle.Axes.Left.SetTicks([0, Math.PI / 2, Math.PI], ["0 (upright)", "π/2", "π (hanging)"]);
        angle.YLabel("pole from upright (rad)");

        Plot speed = multiplot.GetPlot(2);
        PlotParts.ShadeModes(speed, run, time, legend: false);
        PlotParts.TrueAndEstimated(speed, time, log.True.Take(log.Count).Select(s => (double)s.ThetaDot).ToArray(), log.Estimated.Take(log.Count).Select(s => (double)s.ThetaDot).ToArray());
        PlotParts.Limit(speed, RunMetrics.UprightAngularVelocity, $"upright band ±{RunMetrics.UprightAngularVelocity} rad/s", Colors.Green, LinePattern.Dashed, mirrored: true);
        speed.YLabel("pole angular velocity (rad/s)");
        speed.XLabel(PlotParts.TaskTimeLabel(run));
        PlotParts.Align(multiplot);
        multiplot.SavePng(path, Width, 3 * PanelHeight);
    }

    /// <summary>command.png: the drive model's force for each command (with the stall-force limits) and the PWM duty sent.</summary>
    public static void WriteCommand(RunResult run, string path)
    {
        TickLog log = run.Log;
        double[] time = PlotParts.TaskTime(run);
        Multiplot multiplot = PlotParts.Stack(2);

        Plot force = multiplot.GetPlot(0);
        PlotParts.ShadeModes(force, run, time, legend: true);
        PlotParts.Line(force, time, log.ForceNewtons.Take(log.Count).Select(f => (double)f).ToArray(), "force (drive model)");
        double limit = run.PlannerParameters.MaxForceNewtons;
        PlotParts.Limit(force, limit, $"stall force ±{limit:0.##} N", Colors.Red, LinePattern.Dashed, mirrored: true);
        force.Title("command: " + string.Join(" → ", run.Modes.Select(ModeNames.Of)));
        force.YLabel("drive force (N)");

        Plot duty = multiplot.GetPlot(1);
        PlotParts.ShadeModes(duty, run, time, legend: false);
        PlotParts.Line(duty, time, log.Command.Take(log.Count).Select(c => (double)c).ToArray(), "command", Colors.RoyalBlue, 2f);
        PlotParts.Line(duty, time, log.Duty.Take(log.Count).Select(d => (double)d).ToArray(), "duty (past dead zone)", Colors.Black, 1f);
        PlotParts.Limit(duty, 1, "full duty", Colors.Red, LinePattern.Dashed, mirrored: true);
        duty.YLabel("command, duty");
        duty.XLabel(PlotParts.TaskTimeLabel(run));
        PlotParts.Align(multiplot);
        multiplot.SavePng(path, Width, 2 * PanelHeight);
    }

    /// <summary>
    /// planning-time.png: planner wall-clock time per tick on this host (logarithmic), with the control
    /// period and the planning budget (the share of the period after which a tick counts as an overrun),
    /// and the cost of the chosen plan.
    /// </summary>
    public static void WritePlanning(RunResult run, string path)
    {
        TickLog log = run.Log;
        double[] time = PlotParts.TaskTime(run);
        Multiplot multiplot = PlotParts.Stack(2);

        Plot planning = multiplot.GetPlot(0);
        PlotParts.ShadeModes(planning, run, time, legend: true);
        // log10 of microseconds, so that 20 µs and the 20 ms period both read.
        PlotParts.Line(planning, time, log.PlanningMicroseconds.Take(log.Count).Select(us => Math.Log10(Math.Max(1, us))).ToArray(), "planning time");
        double periodMicroseconds = run.Profile.ControlPeriodSeconds * 1e6;
        double budgetMicroseconds = periodMicroseconds * ControlledRig.PlanningBudgetFraction;
        PlotParts.Limit(planning, Math.Log10(periodMicroseconds), $"control period {periodMicroseconds / 1000:0.#} ms", Colors.Red, LinePattern.Solid);
        PlotParts.Limit(planning, Math.Log10(budgetMicroseconds), $"budget {budgetMicroseconds / 1000:0.#} ms ({ControlledRig.PlanningBudgetFraction:P0} of it)", Colors.DarkOrange, LinePattern.Dashed);
        planning.Axes.SetLimitsY(0, Math.Log10(periodMicroseconds) + 0.5);
        planning.Axes.Left.SetTicks([0, 1, 2, 3, 4, 5], ["1 µs", "10 µs", "100 µs", "1 ms", "10 ms", "100 ms"]);
        planning.Title($"planning time per tick on this host ({run.Metrics.ModelStepsPerTick:F0} model steps per tick on average, {run.Metrics.ModelStepsPerTickMax} at most)");
        planning.YLabel("planning time");

        Plot cost = multiplot.GetPlot(1);
        PlotParts.ShadeModes(cost, run, time, legend: false);
        PlotParts.Line(cost, time, log.PlanCost.Take(log.Count).Select(c => (double)c).ToArray(), "plan cost");
        cost.YLabel("cost of the chosen plan");
        cost.XLabel(PlotParts.TaskTimeLabel(run));
        PlotParts.Align(multiplot);
        multiplot.SavePng(path, Width, 2 * PanelHeight);
    }

    /// <summary>
    /// comparison.png: pole angle and cart position of a closed-loop (receding-horizon) and an open-loop
    /// run of the same settings against task time, with the push (if any) marked and the upright band shaded.
    /// </summary>
    public static void WriteComparison(RunResult closedLoop, RunResult openLoop, string path)
    {
        Multiplot multiplot = PlotParts.Stack(2);
        Plot angle = multiplot.GetPlot(0);
        Plot position = multiplot.GetPlot(1);
        foreach ((RunResult run, string label) in new[] { (closedLoop, "closed loop (re-plans every tick)"), (openLoop, "open loop (planned once, played blindly)") })
        {
            TickLog log = run.Log;
            int start = Math.Max(0, Array.FindIndex(log.Mode, 0, log.Count, mode => mode is SupervisorMode.SwingUp or SupervisorMode.Balance));
            double[] time = log.TimeSeconds.Skip(start).Take(log.Count - start).Select(t => t - log.TimeSeconds[start]).ToArray();
            PlotParts.Line(angle, time, log.True.Skip(start).Take(log.Count - start).Select(s => PlotParts.FromUpright(s.Theta)).ToArray(), label);
            PlotParts.Line(position, time, log.True.Skip(start).Take(log.Count - start).Select(s => (double)s.X).ToArray(), label);
        }

        RunSettings settings = closedLoop.Settings;
        var band = angle.Add.VerticalSpan(0, RunMetrics.UprightAngleRadians);
        band.FillColor = Colors.Green.WithAlpha(0.15);
        band.LegendText = "upright (|theta| < 0.2 rad)";
        if (settings.PushAtSeconds is double pushAt)
        {
            foreach (Plot plot in new[] { angle, position })
            {
                var line = plot.Add.VerticalLine(pushAt, 1, Colors.Red, LinePattern.Dashed);
                line.LegendText = $"push {settings.PushRadiansPerSecond:+0.##;-0.##} rad/s";
            }
        }

        string mismatch = settings.Mismatch > 0 ? $", model mismatch ±{settings.Mismatch:P0}" : "";
        angle.Title($"{settings.Planner}, {settings.ProfileName}, seed {settings.Seed}{mismatch}: closed loop {(closedLoop.Metrics.Success ? "succeeds" : "fails")}, open loop {(openLoop.Metrics.Success ? "succeeds" : "fails")}");
        angle.YLabel("pole from upright (rad)");
        angle.Axes.Left.SetTicks([0, Math.PI / 2, Math.PI], ["0 (upright)", "π/2", "π (hanging)"]);
        angle.ShowLegend(Alignment.UpperRight);
        double track = closedLoop.Profile.CopyParameters().TrackHalfLengthMeters;
        position.Add.HorizontalLine(track, 1, Colors.Red, LinePattern.Dotted);
        position.Add.HorizontalLine(-track, 1, Colors.Red, LinePattern.Dotted);
        position.YLabel("cart position (m)");
        position.XLabel("task time (s)");
        PlotParts.Align(multiplot);
        multiplot.SavePng(path, Width, 2 * PanelHeight);
    }
}
