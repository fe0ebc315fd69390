using System;
using System.Linq;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Simulation;
using ScottPlot;

namespace EmbeddedMpc.HostSim.Output;

/// <summary>PNG plots of a run: state, command, planning time and plan cost against time.</summary>
public static class PlotWriter
{
    private const int Width = 1000;
    private const int PanelHeight = 300;

    /// <summary>state.png: cart position and pole angle (wrapped to [-pi, pi]), true and estimated.</summary>
    public static void WriteState(RunResult run, string path)
    {
        TickLog log = run.Log;
        double[] time = Time(log);
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);

        Plot position = multiplot.GetPlot(0);
        AddLine(position, time, log.True.Take(log.Count).Select(s => (double)s.X).ToArray(), "true");
        AddLine(position, time, log.Estimated.Take(log.Count).Select(s => (double)s.X).ToArray(), "estimated");
        double track = run.Profile.CopyParameters().TrackHalfLengthMeters;
        position.Add.HorizontalLine(track, 1, Colors.Red, LinePattern.Dashed);
        position.Add.HorizontalLine(-track, 1, Colors.Red, LinePattern.Dashed);
        position.Title($"{run.Settings.ProfileName}, {RunSettings.TaskName(run.Settings.Task)}, {run.Settings.Planner}, seed {run.Settings.Seed}");
        position.YLabel("cart position (m)");
        position.ShowLegend(Alignment.UpperRight);

        Plot angle = multiplot.GetPlot(1);
        AddLine(angle, time, log.True.Take(log.Count).Select(s => Math.IEEERemainder(s.Theta, 2 * Math.PI)).ToArray(), "true");
        AddLine(angle, time, log.Estimated.Take(log.Count).Select(s => Math.IEEERemainder(s.Theta, 2 * Math.PI)).ToArray(), "estimated");
        angle.Add.HorizontalLine(RunMetrics.UprightAngleRadians, 1, Colors.Green, LinePattern.Dotted);
        angle.Add.HorizontalLine(-RunMetrics.UprightAngleRadians, 1, Colors.Green, LinePattern.Dotted);
        angle.YLabel("pole angle from upright (rad)");
        angle.XLabel("time since power-on (s)");
        angle.ShowLegend(Alignment.UpperRight);
        multiplot.SavePng(path, Width, 2 * PanelHeight);
    }

    /// <summary>command.png: the drive model's force for each command (with the stall-force limits) and the PWM duty sent.</summary>
    public static void WriteCommand(RunResult run, string path)
    {
        TickLog log = run.Log;
        double[] time = Time(log);
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);

        Plot force = multiplot.GetPlot(0);
        AddLine(force, time, log.ForceNewtons.Take(log.Count).Select(f => (double)f).ToArray(), "force");
        double limit = run.PlannerParameters.MaxForceNewtons;
        force.Add.HorizontalLine(limit, 1, Colors.Red, LinePattern.Dashed);
        force.Add.HorizontalLine(-limit, 1, Colors.Red, LinePattern.Dashed);
        force.Title("command (modes: " + string.Join(" → ", run.Modes.Select(ModeNames.Of)) + ")");
        force.YLabel("drive force, model (N)");

        Plot duty = multiplot.GetPlot(1);
        AddLine(duty, time, log.Command.Take(log.Count).Select(c => (double)c).ToArray(), "command");
        AddLine(duty, time, log.Duty.Take(log.Count).Select(d => (double)d).ToArray(), "duty (deadband compensated)");
        duty.ShowLegend(Alignment.UpperRight);
        duty.YLabel("normalized command, duty");
        duty.XLabel("time since power-on (s)");
        multiplot.SavePng(path, Width, 2 * PanelHeight);
    }

    /// <summary>planning-time.png: planner wall-clock time per tick on this host, and plan cost.</summary>
    public static void WritePlanning(RunResult run, string path)
    {
        TickLog log = run.Log;
        double[] time = Time(log);
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);

        Plot planning = multiplot.GetPlot(0);
        AddLine(planning, time, log.PlanningMicroseconds.Take(log.Count).Select(us => (double)us).ToArray(), "planning time");
        planning.Title($"planning time per tick on this host ({run.Metrics.ModelStepsPerTick:F0} model steps per tick)");
        planning.YLabel("planning time (µs)");

        Plot cost = multiplot.GetPlot(1);
        AddLine(cost, time, log.PlanCost.Take(log.Count).Select(c => (double)c).ToArray(), "plan cost");
        cost.YLabel("cost of the chosen plan");
        cost.XLabel("time since power-on (s)");
        multiplot.SavePng(path, Width, 2 * PanelHeight);
    }

    /// <summary>
    /// comparison.png: pole angle and cart position of a closed-loop (receding-horizon) and an open-loop
    /// run of the same settings against task time, with the push (if any) marked and the upright band shaded.
    /// </summary>
    public static void WriteComparison(RunResult closedLoop, RunResult openLoop, string path)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        Plot angle = multiplot.GetPlot(0);
        Plot position = multiplot.GetPlot(1);
        foreach ((RunResult run, string label) in new[] { (closedLoop, "closed loop (re-plans every tick)"), (openLoop, "open loop (planned once, played blindly)") })
        {
            TickLog log = run.Log;
            int start = Math.Max(0, Array.FindIndex(log.Mode, 0, log.Count, mode => mode is SupervisorMode.SwingUp or SupervisorMode.Balance));
            double[] time = log.TimeSeconds.Skip(start).Take(log.Count - start).Select(t => t - log.TimeSeconds[start]).ToArray();
            AddLine(angle, time, log.True.Skip(start).Take(log.Count - start).Select(s => Math.IEEERemainder(s.Theta, 2 * Math.PI)).ToArray(), label);
            AddLine(position, time, log.True.Skip(start).Take(log.Count - start).Select(s => (double)s.X).ToArray(), label);
        }

        RunSettings settings = closedLoop.Settings;
        var band = angle.Add.VerticalSpan(-RunMetrics.UprightAngleRadians, RunMetrics.UprightAngleRadians);
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
        angle.YLabel("pole angle from upright (rad)");
        angle.ShowLegend(Alignment.LowerRight);
        double track = closedLoop.Profile.CopyParameters().TrackHalfLengthMeters;
        position.Add.HorizontalLine(track, 1, Colors.Red, LinePattern.Dotted);
        position.Add.HorizontalLine(-track, 1, Colors.Red, LinePattern.Dotted);
        position.YLabel("cart position (m)");
        position.XLabel("task time (s)");
        multiplot.SavePng(path, Width, 2 * PanelHeight);
    }

    private static double[] Time(TickLog log) => log.TimeSeconds.Take(log.Count).ToArray();

    private static void AddLine(Plot plot, double[] xs, double[] ys, string label)
    {
        var line = plot.Add.ScatterLine(xs, ys);
        line.LegendText = label;
        line.LineWidth = 1.5f;
    }
}
