using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EmbeddedMpc.HostSim.Monitor;

/// <summary>
/// What `monitor` shows while it runs. On a terminal: a live table (Spectre.Console, redrawn 5 times a
/// second) of the rig's mode, state, command, planning time, loop statistics and link health, with a
/// trace of the last <see cref="MonitorSession.TraceSeconds"/> s of theta and x, the latest events, and
/// keys for start, stop, reset, excite and quit. Elsewhere (CI=true, output redirected): the events as
/// they happen and one plain status line per second.
/// </summary>
public static class MonitorDashboard
{
    /// <summary>How often the session is polled, ms.</summary>
    public const int PollMilliseconds = 50;

    private const int TraceWidth = 44; // fits the table in an 80-column terminal
    private const string Levels = "▁▂▃▄▅▆▇█";

    /// <summary>True when the dashboard can be live: a terminal on both ends and not CI.</summary>
    public static bool CanBeInteractive() =>
        !Console.IsOutputRedirected && !Console.IsInputRedirected
        && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs <paramref name="session"/> to its end with a live table and keys.</summary>
    public static void RunInteractive(MonitorSession session, string keysLine, Func<ConsoleKey, bool> onKey, double trackHalfLengthMeters)
    {
        var rate = new FrameRate();
        AnsiConsole.Live(Render(session.Snapshot(), rate, keysLine, trackHalfLengthMeters))
            .AutoClear(false)
            .Start(context =>
            {
                var redraw = Stopwatch.StartNew();
                while (session.Poll())
                {
                    while (Console.KeyAvailable)
                    {
                        onKey(Console.ReadKey(intercept: true).Key);
                    }

                    if (redraw.ElapsedMilliseconds >= 200)
                    {
                        redraw.Restart();
                        context.UpdateTarget(Render(session.Snapshot(), rate, keysLine, trackHalfLengthMeters));
                    }

                    Thread.Sleep(PollMilliseconds);
                }

                context.UpdateTarget(Render(session.Snapshot(), rate, keysLine, trackHalfLengthMeters));
            });
    }

    /// <summary>Runs <paramref name="session"/> to its end, printing a status line per second to <paramref name="output"/>.</summary>
    public static void RunPlain(MonitorSession session, TextWriter output)
    {
        var rate = new FrameRate();
        var clock = Stopwatch.StartNew();
        double nextLine = 1;
        while (session.Poll())
        {
            if (clock.Elapsed.TotalSeconds >= nextLine)
            {
                nextLine += 1;
                output.WriteLine(StatusLine(session.Snapshot(), rate));
                output.Flush();
            }

            Thread.Sleep(PollMilliseconds);
        }
    }

    /// <summary>One plain line: time, link, mode, state, command, planning, recording.</summary>
    public static string StatusLine(MonitorSnapshot s, FrameRate rate)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{s.ElapsedSeconds,7:0.0} s  ");
        line.Append(LinkText(s, rate));
        if (s.HaveTelemetry)
        {
            var r = s.Record;
            line.Append(CultureInfo.InvariantCulture,
                $" | tick {r.TickIndex} {ModeText(s)} | x {r.State.X:+0.000;-0.000} m theta {r.State.Theta:+0.000;-0.000} rad | cmd {r.Command:+0.00;-0.00} duty {r.Duty:+0.00;-0.00} | plan {r.PlanningMicroseconds} µs");
        }

        line.Append(CultureInfo.InvariantCulture, $" | rows {s.Rows}, gaps {s.Gaps} ({s.MissingTicks} ticks)");
        return line.ToString();
    }

    /// <summary>The switch bits in words: which are tripped or pressed.</summary>
    public static string SwitchText(byte inputs)
    {
        (byte Bit, string Words)[] inputsInWords =
        [
            (TelemetryInputs.NegativeLimit, "-x limit (homing) tripped"),
            (TelemetryInputs.PositiveLimit, "+x limit tripped"),
            (TelemetryInputs.EmergencyStop, "E-STOP pressed"),
            (TelemetryInputs.Button, "button held"),
        ];
        var on = new System.Collections.Generic.List<string>();
        foreach ((byte bit, string words) in inputsInWords)
        {
            if ((inputs & bit) != 0)
            {
                on.Add(words);
            }
        }

        return on.Count == 0 ? "all clear" : string.Join(", ", on);
    }

    private static string ModeText(MonitorSnapshot s) =>
        s.Record.Mode == SupervisorMode.Fault ? $"fault ({ModeNames.Of(s.Record.Fault)})" : ModeNames.Of(s.Record.Mode);

    private static string LinkText(MonitorSnapshot s, FrameRate rate)
    {
        if (!s.Connected)
        {
            return $"link lost, retrying every {RigConnection.ReconnectIntervalSeconds:0.#} s";
        }

        double perSecond = rate.Update(s.ElapsedSeconds, s.FramesAccepted);
        return s.Silent
            ? $"connected, silent (no valid frame for {MonitorSession.SilenceSeconds * 1000:0} ms), CRC errors {s.CrcErrors}"
            : $"{perSecond:0} frames/s, CRC errors {s.CrcErrors}, rejected {s.FramesRejected}";
    }

    private static IRenderable Render(MonitorSnapshot s, FrameRate rate, string keysLine, double track)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("rig").AddColumn("now");
        table.Title = new TableTitle("monitor · " + (s.Connected ? "[green]connected[/]" : "[red]link lost[/]"));
        string link = Markup.Escape(LinkText(s, rate)) + (s.Connections > 1 ? $", connection {s.Connections}" : "");
        table.AddRow("link", s.Connected && !s.Silent ? link : $"[red]{link}[/]");
        if (s.HaveTelemetry)
        {
            var r = s.Record;
            string mode = Markup.Escape(ModeText(s));
            table.AddRow("mode", r.Mode == SupervisorMode.Fault ? $"[red]{mode}[/]" : mode);
            table.AddRow("tick", $"{r.TickIndex} ({r.TickIndex * s.ControlPeriodSeconds:0.00} s since power-on)");
            table.AddRow("cart x, velocity", Invariant($"{r.State.X:+0.0000;-0.0000} m, {r.State.XDot:+0.000;-0.000} m/s"));
            table.AddRow("pole theta, velocity", Invariant($"{r.State.Theta:+0.000;-0.000} rad ({Math.Abs(Math.IEEERemainder(r.State.Theta, 2 * Math.PI)):0.000} from upright), {r.State.ThetaDot:+0.00;-0.00} rad/s"));
            table.AddRow("command, duty", Invariant($"{r.Command:+0.000;-0.000}, {r.Duty:+0.000;-0.000} ({r.ForceNewtons:+0.00;-0.00} N)"));
            table.AddRow("planning", Invariant($"{r.PlanningMicroseconds} µs, {r.ModelSteps} model steps, overrun streak {r.OverrunStreak}"));
            table.AddRow("activity, model", Markup.Escape($"{RigTelemetryColumns.ActivityName(r.Activity)}, model {r.ModelId:x8} ({RigTelemetryColumns.ModelSourceName(r.ModelSource)})"));
            table.AddRow("switches", Markup.Escape(SwitchText(r.Inputs)));
            table.AddRow("raw counts", Invariant($"cart {r.CartCount}, pole {r.PoleCount}"));
            table.AddRow("tick period, jitter", Invariant($"{r.TickPeriodMicroseconds} µs, {r.JitterMicroseconds:+0;-0} µs; free memory {(r.FreeMemoryBytes >= 0 ? r.FreeMemoryBytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes" : "not reported")}"));
        }
        else
        {
            table.AddRow("mode", "[grey]no telemetry yet[/]");
        }

        table.AddRow("loop", s.HaveLoopStatistics
            ? Invariant($"{s.LoopOverruns} overruns since start-up, max jitter {s.MaxJitterMicroseconds} µs, free memory {(s.FreeMemoryBytes > 0 ? s.FreeMemoryBytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes" : "not reported")}")
            : "[grey]no LoopStatistics yet (one per window of a few seconds)[/]");
        table.AddRow("recording", Invariant($"{s.Rows} rows, {s.Gaps} gaps ({s.MissingTicks} ticks lost)"));
        table.AddRow("theta from upright", Trace(s.ThetaTrace, v => Math.Abs(Math.IEEERemainder(v, 2 * Math.PI)), 0, Math.PI) + " 0..π");
        table.AddRow("cart x", Trace(s.XTrace, v => v, -track, track) + Invariant($" ±{track:0.###} m"));
        table.AddRow("command", s.PendingCommand is null ? "[grey]none waiting[/]" : $"{s.PendingCommand}: waiting for its Ack");
        table.AddRow("events", s.RecentEvents.Length == 0 ? "" : Markup.Escape(string.Join("\n", s.RecentEvents)));
        table.Caption = new TableTitle(Markup.Escape(keysLine));
        return table;
    }

    /// <summary>The last values as a sparkline of <see cref="TraceWidth"/> characters, scaled from <paramref name="low"/> to <paramref name="high"/>.</summary>
    public static string Trace(float[] values, Func<float, double> map, double low, double high)
    {
        if (values.Length == 0)
        {
            return new string(' ', TraceWidth);
        }

        var line = new StringBuilder(TraceWidth);
        for (int c = 0; c < TraceWidth; c++)
        {
            int i = (int)((long)c * values.Length / TraceWidth);
            double fraction = (map(values[Math.Min(i, values.Length - 1)]) - low) / (high - low);
            int level = double.IsFinite(fraction) ? (int)Math.Clamp(Math.Round(fraction * (Levels.Length - 1)), 0, Levels.Length - 1) : 0;
            line.Append(Levels[level]);
        }

        return line.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Frames per second over the last second or so, from the running count of accepted frames.</summary>
    public sealed class FrameRate
    {
        private double _since; // the session's start: the first rate covers its first second
        private long _count;
        private double _rate;

        /// <summary>Updates with the count at <paramref name="seconds"/>; returns the latest rate.</summary>
        public double Update(double seconds, long count)
        {
            if (seconds - _since >= 1)
            {
                _rate = (count - _count) / (seconds - _since);
                _since = seconds;
                _count = count;
            }

            return _rate;
        }
    }
}
