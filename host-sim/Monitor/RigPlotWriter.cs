using System;
using System.IO;
using System.Linq;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Simulation;
using ScottPlot;

namespace EmbeddedMpc.HostSim.Monitor;

/// <summary>
/// The plots of a rig recording, against time since the rig's power-on with the supervisor's modes shaded
/// (the panels and colours of `run`, <see cref="PlotParts"/>; only what the rig measures: no true state):
/// state.png (cart position with the usable track, pole from upright, pole angular velocity),
/// command.png (command and duty) and planning-time.png (planning time per tick on the rig).
/// Lost ticks are not drawn: a line joins the rows on either side of a gap.
/// </summary>
public static class RigPlotWriter
{
    /// <summary>The plots written.</summary>
    public static readonly string[] FileNames = ["state.png", "command.png", "planning-time.png"];

    /// <summary>Writes the plots of <paramref name="recording"/> into <paramref name="directory"/>; returns their names (none without rows).</summary>
    /// <exception cref="IOException">A plot cannot be written.</exception>
    public static string[] WriteAll(RigLogRecorder recording, RigProfile profile, string directory)
    {
        if (recording.Rows < 2)
        {
            return [];
        }

        double[] time = recording.TimeSeconds.ToArray();
        Save(WriteState(recording, profile, time), directory, "state.png", 3);
        Save(WriteCommand(recording, time), directory, "command.png", 2);
        Save(WritePlanning(recording, time), directory, "planning-time.png", 1);
        return FileNames;
    }

    private static void Save(Multiplot plot, string directory, string name, int panels)
    {
        string temporary = Path.Combine(directory, "." + name + ".tmp.png");
        plot.SavePng(temporary, PlotParts.Width, panels * PlotParts.PanelHeight);
        File.Move(temporary, Path.Combine(directory, name), overwrite: true);
    }

    private static Multiplot WriteState(RigLogRecorder r, RigProfile profile, double[] time)
    {
        Multiplot multiplot = PlotParts.Stack(3);
        Plot position = multiplot.GetPlot(0);
        ShadeModes(position, r, time, legend: true);
        PlotParts.Line(position, time, r.X.Select(v => (double)v).ToArray(), "estimated", Colors.Black, 1.5f);
        double track = profile.CopyParameters().TrackHalfLengthMeters;
        PlotParts.Limit(position, track, $"usable track ±{track:0.###} m", Colors.DarkOrange, LinePattern.Dashed, mirrored: true);
        position.Title($"rig recording, {r.Rows} ticks" + (r.Gaps > 0 ? $", {r.MissingTicks} lost in {r.Gaps} gaps" : ", none lost")
            + (r.Faults.Count > 0 ? ", faults: " + string.Join(", ", r.Faults.Select(ModeNames.Of)) : ""));
        position.YLabel("cart position (m)");

        Plot angle = multiplot.GetPlot(1);
        ShadeModes(angle, r, time, legend: false);
        PlotParts.Line(angle, time, r.Theta.Select(PlotParts.FromUpright).ToArray(), "estimated", Colors.Black, 1.5f);
        PlotParts.Limit(angle, RunMetrics.UprightAngleRadians, $"upright band {RunMetrics.UprightAngleRadians} rad", Colors.Green, LinePattern.Dashed);
        angle.Axes.SetLimitsY(0, Math.PI * 1.05);
        angle.Axes.Left.SetTicks([0, Math.PI / 2, Math.PI], ["0 (upright)", "π/2", "π (hanging)"]);
        angle.YLabel("pole from upright (rad)");

        Plot speed = multiplot.GetPlot(2);
        ShadeModes(speed, r, time, legend: false);
        PlotParts.Line(speed, time, r.ThetaDot.Select(v => (double)v).ToArray(), "estimated", Colors.Black, 1.5f);
        speed.YLabel("pole angular velocity (rad/s)");
        speed.XLabel("time since the rig's power-on (s)");
        PlotParts.Align(multiplot);
        return multiplot;
    }

    private static Multiplot WriteCommand(RigLogRecorder r, double[] time)
    {
        Multiplot multiplot = PlotParts.Stack(2);
        Plot command = multiplot.GetPlot(0);
        ShadeModes(command, r, time, legend: true);
        PlotParts.Line(command, time, r.Command.Select(v => (double)v).ToArray(), "command", Colors.RoyalBlue, 2f);
        PlotParts.Limit(command, 1, "full command", Colors.Red, LinePattern.Dashed, mirrored: true);
        command.Title("command: " + string.Join(" → ", r.Modes.Select(ModeNames.Of)));
        command.YLabel("normalized command");

        Plot duty = multiplot.GetPlot(1);
        ShadeModes(duty, r, time, legend: false);
        PlotParts.Line(duty, time, r.Duty.Select(v => (double)v).ToArray(), "duty sent", Colors.Black, 1f);
        PlotParts.Limit(duty, 1, "full duty", Colors.Red, LinePattern.Dashed, mirrored: true);
        duty.YLabel("PWM duty");
        duty.XLabel("time since the rig's power-on (s)");
        PlotParts.Align(multiplot);
        return multiplot;
    }

    private static Multiplot WritePlanning(RigLogRecorder r, double[] time)
    {
        Multiplot multiplot = PlotParts.Stack(1);
        Plot planning = multiplot.GetPlot(0);
        ShadeModes(planning, r, time, legend: true);
        // log10 of microseconds, so that tens of µs and the 20 ms period both read.
        PlotParts.Line(planning, time, r.PlanningMicroseconds.Select(us => Math.Log10(Math.Max(1, us))).ToArray(), "planning time on the rig");
        double periodMicroseconds = r.ControlPeriodSeconds * 1e6;
        PlotParts.Limit(planning, Math.Log10(periodMicroseconds), $"control period {periodMicroseconds / 1000:0.#} ms", Colors.Red, LinePattern.Solid);
        planning.Axes.SetLimitsY(0, Math.Log10(periodMicroseconds) + 0.5);
        planning.Axes.Left.SetTicks([0, 1, 2, 3, 4, 5], ["1 µs", "10 µs", "100 µs", "1 ms", "10 ms", "100 ms"]);
        planning.Title($"planning time per tick on the rig ({r.OverrunTicks} overrun ticks, longest streak {r.LongestOverrunStreak})");
        planning.YLabel("planning time");
        planning.XLabel("time since the rig's power-on (s)");
        PlotParts.Align(multiplot);
        return multiplot;
    }

    private static void ShadeModes(Plot plot, RigLogRecorder r, double[] time, bool legend) =>
        PlotParts.ShadeModes(plot, r.Mode, r.Rows, r.ControlPeriodSeconds, time, legend);
}
