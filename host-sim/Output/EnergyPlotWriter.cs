using System;
using System.Linq;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Simulation;
using ScottPlot;

namespace EmbeddedMpc.HostSim.Output;

/// <summary>
/// The swing-up seen as energy: energy.png (the pole's energy against task time, which a swing-up pumps
/// from hanging to upright and a whirl overshoots) and phase.png (angular velocity against angle, coloured
/// by mode: the swing-up spirals out from hanging, the balance sits at the origin).
/// </summary>
public static class EnergyPlotWriter
{
    /// <summary>energy.png: the pole's energy relative to upright at rest (true state), with hanging at rest and upright marked.</summary>
    public static void WriteEnergy(RunResult run, string path)
    {
        TickLog log = run.Log;
        CartPoleParameters parameters = run.Profile.CopyParameters();
        double[] time = PlotParts.TaskTime(run);
        var plot = new Plot();
        PlotParts.ShadeModes(plot, run, time, legend: true);
        PlotParts.Line(plot, time, log.True.Take(log.Count).Select(s => PlotParts.PoleEnergyJoules(parameters, s.Theta, s.ThetaDot)).ToArray(), "pole energy");
        double hanging = PlotParts.PoleEnergyJoules(parameters, MathF.PI, 0f);
        PlotParts.Limit(plot, 0, "upright at rest (target)", Colors.Green, LinePattern.Dashed);
        PlotParts.Limit(plot, hanging, $"hanging at rest ({hanging:0.###} J)", Colors.SlateGray, LinePattern.Dotted);
        plot.Title($"pole energy relative to upright at rest: ½ J θ̇² + m g l (cos θ − 1); {run.Settings.Planner}, {run.Settings.ProfileName}, seed {run.Settings.Seed}");
        plot.YLabel("energy (J)");
        plot.XLabel(PlotParts.TaskTimeLabel(run));
        plot.ShowLegend(Edge.Right);
        plot.Layout.Fixed(new PixelPadding(left: 115, right: 250, bottom: 50, top: 36));
        plot.Legend.Orientation = Orientation.Vertical;
        plot.SavePng(path, PlotParts.Width, 2 * PlotParts.PanelHeight);
    }

    /// <summary>phase.png: the pole's angular velocity against its angle (wrapped to ±π, 0 upright), one colour per mode.</summary>
    public static void WritePhase(RunResult run, string path)
    {
        TickLog log = run.Log;
        var plot = new Plot();
        foreach (SupervisorMode mode in new[] { SupervisorMode.Homing, SupervisorMode.Ready, SupervisorMode.SwingUp, SupervisorMode.Balance, SupervisorMode.Fault })
        {
            int[] rows = Enumerable.Range(0, log.Count).Where(i => log.Mode[i] == mode).ToArray();
            if (rows.Length == 0)
            {
                continue;
            }

            var points = plot.Add.ScatterPoints(rows.Select(i => PlotParts.Wrapped(log.True[i].Theta)).ToArray(), rows.Select(i => (double)log.True[i].ThetaDot).ToArray());
            points.Color = PlotParts.ModeColor(mode).WithAlpha(0.6);
            points.MarkerSize = 3;
            points.LegendText = ModeNames.Of(mode);
        }

        var upright = plot.Add.Rectangle(-RunMetrics.UprightAngleRadians, RunMetrics.UprightAngleRadians, -RunMetrics.UprightAngularVelocity, RunMetrics.UprightAngularVelocity);
        upright.FillColor = Colors.Green.WithAlpha(0.15);
        upright.LineColor = Colors.Green;
        upright.LegendText = "upright band (success)";
        plot.Axes.SetLimitsX(-Math.PI, Math.PI);
        plot.Axes.Bottom.SetTicks([-Math.PI, -Math.PI / 2, 0, Math.PI / 2, Math.PI], ["−π (hanging)", "−π/2", "0 (upright)", "π/2", "π (hanging)"]);
        plot.Title($"phase portrait of the pole (true state); {run.Settings.Planner}, {run.Settings.ProfileName}, seed {run.Settings.Seed}");
        plot.XLabel("pole angle, wrapped (rad)");
        plot.YLabel("pole angular velocity (rad/s)");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 800, 600);
    }
}
