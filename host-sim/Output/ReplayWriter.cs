using System;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Text;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Output;

/// <summary>
/// replay.html: one self-contained page (the run's data and the script inline, nothing from the network)
/// that animates the run: the track with its usable length, limit switches and end stops, the cart and
/// pole, the supervisor's mode and the duty, and at each tick the planner's predicted pole-tip path
/// (<see cref="PlanPredictions"/>); play/pause, speed and a time slider. Long runs keep every k-th tick so
/// that the page stays small (at most <see cref="MaxFrames"/> frames).
/// </summary>
public static class ReplayWriter
{
    /// <summary>Most frames a replay holds.</summary>
    public const int MaxFrames = 6000;

    private const string DataPlaceholder = "/*RUN-DATA*/";

    /// <summary>Writes the replay of <paramref name="run"/> to <paramref name="writer"/>.</summary>
    public static void Write(RunResult run, TextWriter writer)
    {
        string template = Template();
        int at = template.IndexOf(DataPlaceholder, StringComparison.Ordinal);
        writer.Write(template.AsSpan(0, at));
        WriteData(run, writer);
        writer.Write(template.AsSpan(at + DataPlaceholder.Length));
    }

    private static void WriteData(RunResult run, TextWriter writer)
    {
        TickLog log = run.Log;
        int every = Math.Max(1, (log.Count + MaxFrames - 1) / MaxFrames);
        double[] time = PlotParts.TaskTime(run);
        var parameters = run.Profile.CopyParameters();
        string[] modes = ["idle", "homing", "ready", "swingup", "balance", "fault"];
        var settings = run.Settings;
        string title = $"{RunSettings.TaskName(settings.Task)} · {settings.Planner} · {settings.ProfileName} · seed {settings.Seed}: "
            + (run.Metrics.Success ? $"upright at {run.Metrics.TimeToUprightSeconds:0.00} s" : "no success");

        var json = new StringBuilder(64 * log.Count / every + 4096);
        json.Append("{\"title\":\"").Append(title.Replace("\"", "'")).Append('"');
        Number(json.Append(",\"track\":"), parameters.TrackHalfLengthMeters);
        Number(json.Append(",\"limitSwitch\":"), run.Profile.LimitSwitchOffsetMeters);
        Number(json.Append(",\"endStop\":"), run.Profile.EndStopOffsetMeters);
        // The drawn pole reaches twice its centre of mass, as a uniform rod does.
        Number(json.Append(",\"poleLength\":"), 2 * parameters.PivotToCenterOfMassMeters);
        Number(json.Append(",\"frameSeconds\":"), every * (double)run.Profile.ControlPeriodSeconds);
        json.Append(",\"modes\":[\"").Append(string.Join("\",\"", modes)).Append("\"]");
        Column(json, "t", log.Count, every, i => time[i]);
        Column(json, "x", log.Count, every, i => log.True[i].X);
        Column(json, "th", log.Count, every, i => log.True[i].Theta);
        Column(json, "d", log.Count, every, i => log.Duty[i]);
        json.Append(",\"m\":[");
        for (int i = 0; i < log.Count; i += every)
        {
            json.Append(i == 0 ? "" : ",").Append(Array.IndexOf(modes, ModeNames.Of(log.Mode[i])));
        }

        json.Append("],\"pred\":[");
        for (int i = 0; i < log.Count; i += every)
        {
            json.Append(i == 0 ? "[" : ",[");
            if (run.Predictions is PlanPredictions predictions && i < predictions.Count)
            {
                ReadOnlySpan<float> points = predictions.PointsOf(i);
                for (int k = 0; k < points.Length; k++)
                {
                    Number(json.Append(k == 0 ? "" : ","), points[k]);
                }
            }

            json.Append(']');
        }

        json.Append("]}");
        writer.Write(json.ToString());
    }

    private static void Column(StringBuilder json, string name, int count, int every, Func<int, double> value)
    {
        json.Append(",\"").Append(name).Append("\":[");
        for (int i = 0; i < count; i += every)
        {
            Number(json.Append(i == 0 ? "" : ","), value(i));
        }

        json.Append(']');
    }

    /// <summary>Four decimals: a tenth of a millimetre, a tenth of a milliradian; NaN (a missing HIL telemetry) as 0.</summary>
    private static void Number(StringBuilder json, double value) =>
        json.Append((double.IsFinite(value) ? Math.Round(value, 4) : 0).ToString("0.####", CultureInfo.InvariantCulture));

    private static string Template()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("replay-template.html")
            ?? throw new InvalidOperationException("the replay template is not embedded in the simulator");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
