using System;
using System.CommandLine;
using System.IO;
using EmbeddedMpc.HostSim.Hil;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Simulation;
using Spectre.Console;

namespace EmbeddedMpc.HostSim.Cli;

/// <summary>The `hil` command: the simulated plant against a device on a serial port.</summary>
public static class HilCommand
{
    public static Command Create()
    {
        var options = new RunOptions("runs/hil-<lockstep|realtime>-<task>-<planner>-<profile>-seed<N>", RunSettings.HilDefaultPlanner);
        var port = new Option<string>("--port") { Description = "Serial port of the device (e.g. /dev/ttyUSB0, COM5, or one end of a socat pty pair).", Required = true };
        var baud = new Option<int>("--baud") { Description = "Line speed, baud (8N1, no flow control); the device must use the same.", DefaultValueFactory = _ => HilDefaults.BaudRate };
        var lockstep = new Option<bool>("--lockstep") { Description = "The plant waits for each command (deterministic; same result as `run`). Default: real time, the plant runs on the wall clock at the control rate." };
        var corruption = new Option<double>("--inject-corruption") { Description = "Test aid: probability that a frame (either direction) gets one byte changed, [0, 1].", DefaultValueFactory = _ => 0.0 };
        var drop = new Option<double>("--drop-rate") { Description = "Test aid: probability that a frame (either direction) is lost, [0, 1].", DefaultValueFactory = _ => 0.0 };
        var cut = new Option<double?>("--cut-link-after") { Description = "Test aid: stop sending anything this many seconds after the first tick and report whether the device signals the lost link." };
        var command = new Command("hil", "Hardware in the loop: simulate the plant here, let the device on --port control it; write the outputs of `run` plus link.csv and the link's figures.");
        command.Options.Add(port);
        command.Options.Add(baud);
        command.Options.Add(lockstep);
        options.AddTo(command);
        command.Options.Add(corruption);
        command.Options.Add(drop);
        command.Options.Add(cut);

        command.SetAction(parse =>
        {
            var settings = new HilSettings
            {
                Run = options.ToSettings(parse),
                Port = parse.GetValue(port)!,
                BaudRate = parse.GetValue(baud),
                Lockstep = parse.GetValue(lockstep),
                CorruptionRate = parse.GetValue(corruption),
                DropRate = parse.GetValue(drop),
                CutLinkAfterSeconds = parse.GetValue(cut),
            };
            string directory = parse.GetValue(options.Output) ?? DefaultOutputDirectory(settings);
            return Execute(settings, directory);
        });
        return command;
    }

    /// <summary>runs/hil-&lt;mode&gt;-&lt;task&gt;-&lt;planner&gt;-&lt;profile&gt;-seed&lt;N&gt; under the current directory.</summary>
    public static string DefaultOutputDirectory(HilSettings settings) =>
        Path.Combine("runs", $"hil-{(settings.Lockstep ? HilDefaults.LockstepName : HilDefaults.RealTimeName)}-{RunSettings.TaskName(settings.Run.Task)}-{settings.Run.Planner}-{settings.Run.ProfileName}-seed{settings.Run.Seed}");

    private static int Execute(HilSettings settings, string directory)
    {
        HilOutcome outcome;
        try
        {
            PlannerOptionCheck.Validate(settings.Run);
            StagedOutput.RequireWritable(directory);
            outcome = HilRun.Execute(settings, Console.Out);
        }
        catch (ArgumentException error)
        {
            return CliErrors.Report(error.Message);
        }

        int exitCode = ExitCodeOf(outcome.End);
        if (outcome.Result is null || outcome.End == HilEnd.Refused)
        {
            // Nothing to show (the connection never opened), or the device was set up for another run: nothing is written.
            Console.Error.WriteLine($"error: {outcome.Error}");
            return exitCode;
        }

        try
        {
            RunOutputWriter.Write(outcome.Result, directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return CliErrors.Report($"cannot write the outputs to '{directory}': {error.Message}");
        }

        RunCommand.PrintSummary(outcome.Result, directory, table => AddRows(table, outcome.Result.Hil!));
        if (outcome.Error is not null)
        {
            Console.Error.WriteLine($"error: {outcome.Error} (the outputs cover the ticks run so far)");
        }

        return exitCode;
    }

    /// <summary>
    /// <see cref="ExitCodes.Success"/> for a completed run, <see cref="ExitCodes.BadInput"/> when the device refused the
    /// run's settings, <see cref="ExitCodes.LinkFailure"/> when the link failed (no answer, silence, the port closed).
    /// </summary>
    public static int ExitCodeOf(HilEnd end) => end switch
    {
        HilEnd.Completed => ExitCodes.Success,
        HilEnd.Refused => ExitCodes.BadInput,
        _ => ExitCodes.LinkFailure,
    };

    private static void AddRows(Table table, HilReport hil)
    {
        table.AddRow("hil", $"{hil.Mode} on {Markup.Escape(hil.Port)} at {hil.BaudRate} baud, device {hil.Device.Firmware}");
        table.AddRow("command latency p50 / p99 / max", $"{Us(hil.CommandLatencyMicrosecondsP50)} / {Us(hil.CommandLatencyMicrosecondsP99)} / {Us(hil.CommandLatencyMicrosecondsMax)} µs");
        table.AddRow("jitter p50 / p99", $"{Us(hil.JitterMicrosecondsP50)} / {Us(hil.JitterMicrosecondsP99)} µs");
        if (hil.ScheduleErrorMicrosecondsP99 is double schedule)
        {
            table.AddRow("host schedule error p99", $"{schedule:F0} µs");
        }

        table.AddRow("late / missing commands", $"{hil.LateTicks} / {hil.CommandsMissing} of {hil.TicksSent}");
        if (hil.ReadingRetries > 0)
        {
            table.AddRow("lockstep retries", $"{hil.ReadingRetries}");
        }

        table.AddRow("telemetry missing (gaps)", $"{hil.TelemetryMissingTicks} ({hil.TelemetryGaps})");
        table.AddRow("frames accepted / rejected", $"{hil.FramesAccepted} / {hil.FramesRejected.Total} (crc {hil.FramesRejected.Crc}, cobs {hil.FramesRejected.Cobs}, length {hil.FramesRejected.Length}, other {hil.FramesRejected.Oversize + hil.FramesRejected.Version + hil.FramesRejected.UnknownType})");
        table.AddRow("sequence gaps (frames missed)", $"{hil.SequenceGaps} ({hil.FramesMissed})");
        if (hil.Injected is HilInjection injected)
        {
            table.AddRow("injected: sent corrupted / dropped", $"{injected.SentCorrupted} / {injected.SentDropped}");
            table.AddRow("injected: received corrupted / dropped", $"{injected.ReceivedCorrupted} / {injected.ReceivedDropped}");
        }

        if (hil.DeviceFaults.Length > 0)
        {
            table.AddRow("device faults", string.Join(", ", hil.DeviceFaults));
        }

        if (hil.DeviceLoop is HilDeviceLoop loop)
        {
            table.AddRow("device: max tick / jitter, overruns", $"{loop.MaxTickMicroseconds} / {loop.MaxJitterMicroseconds} µs, {loop.Overruns}");
        }

        if (hil.LinkCut is HilLinkCut cut)
        {
            table.AddRow("link cut", cut.FaultReceived ? $"at {cut.AfterSeconds:F2} s; {cut.FaultReason} after {cut.FaultAfterMilliseconds:F1} ms" : $"at {cut.AfterSeconds:F2} s; no fault reported");
        }
    }

    private static string Us(double? microseconds) => microseconds is double us ? us.ToString("F0", System.Globalization.CultureInfo.InvariantCulture) : "-";
}
