using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.HostSim.Hil;
using EmbeddedMpc.HostSim.Monitor;
using EmbeddedMpc.HostSim.Output;
using Spectre.Console;

namespace EmbeddedMpc.HostSim.Cli;

/// <summary>
/// The `monitor` command: watch, record and drive a rig (a board in rig mode, or `device --rig`) from the PC.
/// </summary>
public static class MonitorCommand
{
    /// <summary>The keys the dashboard takes.</summary>
    public const string KeysLine = "keys: S start · E excite · X stop · R reset · Q quit";

    /// <summary>How long key E excites the rig when --excite does not say, s.</summary>
    public const double DefaultExciteSeconds = 60;

    public static Command Create()
    {
        var port = new Option<string>("--port") { Description = "The rig's serial port (e.g. /dev/ttyUSB0, or one end of a socat pty pair).", Required = true };
        var baud = new Option<int>("--baud") { Description = "Line speed, baud (8N1, no flow control; the firmware's COM2 runs at 921600).", DefaultValueFactory = _ => HilDefaults.BaudRate };
        var output = new Option<string?>("--out") { Description = "Output directory for log.csv, summary.json and the plots (default: runs/monitor-<UTC time>); must not already hold a log.csv." };
        var profile = new Option<string>("--profile") { Description = $"Rig profile: its control period times the rows until the rig reports its own, its track is drawn in the plots: {RigProfiles.Esp32RigName}, {RigProfiles.QuanserIp02Name}.", DefaultValueFactory = _ => RigProfiles.Esp32RigName };
        profile.AcceptOnlyFromAmong(RigProfiles.Esp32RigName, RigProfiles.QuanserIp02Name);
        var start = new Option<bool>("--start") { Description = "Send Start once telemetry flows (home if needed, swing up, balance); with --duration, send Stop at its end." };
        var excite = new Option<double?>("--excite") { Description = $"Send Excite for this many seconds once telemetry flows (the rig homes first, then runs its excitation through the supervisor, then stops); [{CommandMessage.MinExcitationMilliseconds / 1000}, {CommandMessage.MaxExcitationMilliseconds / 1000}]. Without --duration, monitor ends when the excitation does. Also the length of key E's excitation (default {DefaultExciteSeconds:0} s)." };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds of rig time recorded (counted in ticks, from the first row); (0, 86400]." };
        var command = new Command("monitor", "Watch a rig in rig mode: live dashboard, start/stop/reset from keys or options, log.csv (as `run` writes it), summary.json and plots.")
        {
            port, baud, output, profile, start, excite, duration,
        };

        command.SetAction(parse =>
        {
            double? seconds = parse.GetValue(duration);
            if (seconds is double d && !(d > 0 && d <= 86400))
            {
                return CliErrors.Report($"--duration must be in (0, 86400] s; got {d.ToString(CultureInfo.InvariantCulture)}.");
            }

            double? exciteSeconds = parse.GetValue(excite);
            if (exciteSeconds is double e && !(e * 1000 >= CommandMessage.MinExcitationMilliseconds && e * 1000 <= CommandMessage.MaxExcitationMilliseconds))
            {
                return CliErrors.Report($"--excite must be in [{CommandMessage.MinExcitationMilliseconds / 1000}, {CommandMessage.MaxExcitationMilliseconds / 1000}] s; got {e.ToString(CultureInfo.InvariantCulture)}.");
            }

            if (CliErrors.BothGiven(parse, start, excite, "--start runs the controller, --excite the excitation") is string both)
            {
                return CliErrors.Report(both);
            }

            string directory = parse.GetValue(output) ?? Path.Combine("runs", "monitor-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            var settings = new MonitorSettings
            {
                Port = parse.GetValue(port)!,
                BaudRate = parse.GetValue(baud),
                OutputDirectory = directory,
                ProfileName = parse.GetValue(profile)!,
                Start = parse.GetValue(start),
                ExciteSeconds = exciteSeconds,
                DurationSeconds = seconds,
                Interactive = MonitorDashboard.CanBeInteractive(),
            };
            return Execute(settings);
        });
        return command;
    }

    private static int Execute(MonitorSettings settings)
    {
        try
        {
            StagedOutput.RequireWritable(settings.OutputDirectory);
            if (File.Exists(Path.Combine(settings.OutputDirectory, "log.csv")))
            {
                throw new ArgumentException($"--out '{settings.OutputDirectory}' already holds a log.csv, which a recording never replaces; accepted: a new or empty directory.");
            }

            if (settings.BaudRate < 1200 || settings.BaudRate > 4_000_000)
            {
                throw new ArgumentException($"--baud must be in [1200, 4000000]; got {settings.BaudRate}.");
            }
        }
        catch (ArgumentException error)
        {
            return CliErrors.Report(error.Message);
        }

        RigProfile profile = RigProfiles.FindByName(settings.ProfileName);
        TextWriter console = Console.Out;
        var session = new MonitorSession(settings, profile, line =>
        {
            if (!settings.Interactive)
            {
                console.WriteLine(line);
                console.Flush();
            }
        });
        bool createdDirectory = !Directory.Exists(settings.OutputDirectory);
        try
        {
            session.Connect();
        }
        catch (ArgumentException error)
        {
            if (createdDirectory && Directory.Exists(settings.OutputDirectory) && Directory.GetFileSystemEntries(settings.OutputDirectory).Length == 0)
            {
                Directory.Delete(settings.OutputDirectory);
            }

            return CliErrors.Report(error.Message);
        }

        Console.Out.WriteLine($"monitor: recording into {Path.GetFullPath(settings.OutputDirectory)}" + (settings.Interactive ? "" : " (plain output: no terminal, or CI=true)"));
        if (settings.Interactive)
        {
            MonitorDashboard.RunInteractive(session, KeysLine, key => OnKey(session, key, settings.ExciteSeconds ?? DefaultExciteSeconds), profile.CopyParameters().TrackHalfLengthMeters);
        }
        else
        {
            MonitorDashboard.RunPlain(session, console);
        }

        string[] written;
        try
        {
            written = session.Finish();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return CliErrors.Report($"cannot write the outputs to '{settings.OutputDirectory}': {error.Message}");
        }

        MonitorSummary summary = session.BuildSummary();
        PrintSummary(summary, settings.OutputDirectory, written);
        return session.Ending == MonitorEnding.Interrupted ? ExitCodes.Interrupted
            : session.Ending == MonitorEnding.WriteFailed ? ExitCodes.BadInput
            : ExitCodes.Success;
    }

    private static bool OnKey(MonitorSession session, ConsoleKey key, double exciteSeconds)
    {
        switch (key)
        {
            case ConsoleKey.E:
                session.RequestCommand(DeviceCommand.Excite, (uint)Math.Round(exciteSeconds * 1000));
                return true;
            case ConsoleKey.S:
                session.RequestCommand(DeviceCommand.Start);
                return true;
            case ConsoleKey.X:
                session.RequestCommand(DeviceCommand.Stop);
                return true;
            case ConsoleKey.R:
                session.RequestCommand(DeviceCommand.Reset);
                return true;
            case ConsoleKey.Q:
                session.End(MonitorEnding.Quit);
                return true;
            default:
                return false;
        }
    }

    private static void PrintSummary(MonitorSummary s, string directory, string[] written)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("monitor").AddColumn(new TableColumn("value").RightAligned());
        table.Title = new TableTitle($"rig on {s.Port} · {s.Profile}");
        table.AddRow("rig", s.Firmware is null ? "no HelloAck" : Markup.Escape($"firmware {s.Firmware}, model {s.ModelId} ({s.ModelSource})"));
        table.AddRow("ended", Markup.Escape($"{s.Ending}: {s.EndingDetail}"));
        table.AddRow("recorded", $"{s.Rows} ticks, {s.RecordedSeconds:0.00} s of rig time");
        table.AddRow("gaps", $"{s.Gaps} ({s.MissingTicks} ticks never arrived)");
        table.AddRow("link", $"{s.Connections} connection(s), {s.FramesAccepted} frames, {s.CrcErrors} CRC errors, {s.FramesRejected} rejected");
        table.AddRow("modes", Markup.Escape(string.Join(" → ", s.Modes)) + (s.Faults.Length > 0 ? Markup.Escape($" (faults: {string.Join(", ", s.Faults)})") : ""));
        table.AddRow("planning time median / p99", $"{s.PlanningMicrosecondsMedian:F0} / {s.PlanningMicrosecondsP99:F0} µs");
        table.AddRow("planning overruns, longest streak", $"{s.PlanningOverruns} ticks, {s.LongestOverrunStreak}");
        table.AddRow("loop: max jitter, least free memory", s.MaxJitterMicroseconds is long jitter
            ? $"{jitter} µs, {(s.MinFreeMemoryBytes is long free ? free.ToString("N0", CultureInfo.InvariantCulture) + " bytes" : "not reported")}"
            : "no LoopStatistics received");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"outputs: [blue]{Path.GetFullPath(directory)}[/] ({string.Join(", ", written)})");
    }
}
