using System;
using System.Collections.Generic;
using System.Linq;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Simulation;
using ScottPlot;

namespace EmbeddedMpc.HostSim.Output;

/// <summary>
/// What every plot of a run shares: task time (0 at the first SwingUp or Balance tick, the origin of the
/// summary's times; homing shows at negative times), the supervisor's modes shaded behind the data, the
/// pole's angle as its distance from upright, and stacked panels that share their time axis.
/// </summary>
public static class PlotParts
{
    public const int Width = 1100;
    public const int PanelHeight = 280;

    /// <summary>Task time of each logged tick, s: time since power-on minus the homing time.</summary>
    public static double[] TaskTime(RunResult run) =>
        run.Log.TimeSeconds.Take(run.Log.Count).Select(t => t - run.Metrics.HomingSeconds).ToArray();

    /// <summary>The x-axis label under the bottom panel.</summary>
    public static string TaskTimeLabel(RunResult run) => run.Metrics.HomingSeconds > 0
        ? $"task time (s): 0 at the first swing-up tick, as in summary.json; homing took {run.Metrics.HomingSeconds:0.00} s before it"
        : "task time (s), as in summary.json";

    /// <summary>The pole's distance from upright, rad, in [0, pi]: 0 upright, pi hanging, whatever the turns.</summary>
    public static double FromUpright(float theta) => Math.Abs(Math.IEEERemainder(theta, 2 * Math.PI));

    /// <summary>The pole's angle wrapped to [-pi, pi], 0 upright.</summary>
    public static double Wrapped(float theta) => Math.IEEERemainder(theta, 2 * Math.PI);

    /// <summary>The colour a mode is shaded in.</summary>
    public static Color ModeColor(SupervisorMode mode) => mode switch
    {
        SupervisorMode.Homing => Colors.SlateGray,
        SupervisorMode.Ready => Colors.LightSlateGray,
        SupervisorMode.SwingUp => Colors.Orange,
        SupervisorMode.Balance => Colors.ForestGreen,
        SupervisorMode.Fault => Colors.Red,
        _ => Colors.Gray,
    };

    /// <summary>Stacked panels, <paramref name="panels"/> high, whose time axes move together; the first <paramref name="panels"/> plots of the result.</summary>
    public static Multiplot Stack(int panels)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(panels);
        multiplot.SharedAxes.ShareX(multiplot.GetPlots());
        return multiplot;
    }

    /// <summary>Shades each stretch of one supervisor mode behind the data of <paramref name="plot"/>; the legend names each mode once.</summary>
    public static void ShadeModes(Plot plot, RunResult run, double[] time, bool legend) =>
        ShadeModes(plot, run.Log.Mode, run.Log.Count, run.Profile.ControlPeriodSeconds, time, legend);

    /// <summary>Shades each stretch of one mode among the first <paramref name="count"/> of <paramref name="modes"/> (row k at <paramref name="time"/>[k], lasting <paramref name="periodSeconds"/>).</summary>
    public static void ShadeModes(Plot plot, IReadOnlyList<SupervisorMode> modes, int count, double periodSeconds, double[] time, bool legend)
    {
        var named = new HashSet<SupervisorMode>();
        int start = 0;
        for (int i = 1; i <= count; i++)
        {
            if (i < count && modes[i] == modes[start])
            {
                continue;
            }

            SupervisorMode mode = modes[start];
            if (mode != SupervisorMode.Idle)
            {
                var span = plot.Add.HorizontalSpan(time[start], time[i - 1] + periodSeconds);
                span.FillColor = ModeColor(mode).WithAlpha(mode == SupervisorMode.Fault ? 0.25 : 0.12);
                span.LineWidth = 0;
                if (legend && named.Add(mode))
                {
                    span.LegendText = ModeNames.Of(mode);
                }
            }

            start = i;
        }
    }

    /// <summary>A labelled horizontal line (and its mirror at -<paramref name="y"/> when <paramref name="mirrored"/>).</summary>
    public static void Limit(Plot plot, double y, string label, Color color, LinePattern pattern, bool mirrored = false)
    {
        var line = plot.Add.HorizontalLine(y, 1.5f, color, pattern);
        line.LegendText = label;
        if (mirrored)
        {
            plot.Add.HorizontalLine(-y, 1.5f, color, pattern);
        }
    }

    /// <summary>A line of the data.</summary>
    public static void Line(Plot plot, double[] xs, double[] ys, string label, Color? color = null, float width = 1.5f)
    {
        var line = plot.Add.ScatterLine(xs, ys);
        line.LegendText = label;
        line.LineWidth = width;
        if (color is Color c)
        {
            line.Color = c;
        }
    }

    /// <summary>The true state (solid blue) and the controller's estimate (thin dashed black on top).</summary>
    public static void TrueAndEstimated(Plot plot, double[] time, double[] truth, double[] estimate)
    {
        Line(plot, time, truth, "true", Colors.RoyalBlue, 2.5f);
        var line = plot.Add.ScatterLine(time, estimate);
        line.LegendText = "estimated";
        line.LineWidth = 1f;
        line.Color = Colors.Black;
        line.LinePattern = LinePattern.Dashed;
    }

    /// <summary>
    /// Gives every panel the same data area (legend outside on the right), so that stacked panels line up
    /// in time whatever their labels and legends.
    /// </summary>
    public static void Align(Multiplot multiplot)
    {
        foreach (Plot plot in multiplot.GetPlots())
        {
            plot.Layout.Fixed(new PixelPadding(left: 115, right: 250, bottom: 50, top: 36));
            plot.ShowLegend(Edge.Right);
            plot.Legend.Orientation = Orientation.Vertical;
        }
    }

    /// <summary>The pole's energy relative to upright at rest, J: 0 when balanced, -2 m g l hanging at rest (pivot inertia J).</summary>
    public static double PoleEnergyJoules(CartPoleParameters p, float theta, float thetaDot) =>
        0.5 * p.PoleInertiaAboutPivotKilogramSquareMeters * thetaDot * thetaDot
        + p.PoleMassKilograms * p.GravityMetersPerSecondSquared * p.PivotToCenterOfMassMeters * (Math.Cos(theta) - 1);
}
