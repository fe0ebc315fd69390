using System;
using System.CommandLine;
using System.IO;
using System.Runtime.InteropServices;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Hil;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Cli;

/// <summary>The `device` command: a virtual HIL device, the Core's control loop behind a serial port.</summary>
public static class VirtualDeviceCommand
{
    public static Command Create()
    {
        var port = new Option<string>("--port") { Description = "Serial port to serve (e.g. /dev/ttyUSB1, or one end of a socat pty pair).", Required = true };
        var baud = new Option<int>("--baud") { Description = "Line speed, baud (8N1, no flow control).", DefaultValueFactory = _ => HilDefaults.BaudRate };
        var planner = new Option<string>("--planner") { Description = "Planner kind (the protocol carries sizes and seed, not the kind): " + string.Join(", ", PlannerCatalog.Names) + ".", DefaultValueFactory = _ => RunSettings.HilDefaultPlanner };
        planner.AcceptOnlyFromAmong(PlannerCatalog.Names);
        var task = new Option<string>("--task") { Description = "Task whose cost the planner uses: swingup or balance (not in the protocol).", DefaultValueFactory = _ => "swingup" };
        task.AcceptOnlyFromAmong(RunSettings.TaskNames);
        var profile = new Option<string>("--profile") { Description = $"Rig profile before any Configuration; it also supplies the drive model and switch offsets, which the protocol does not carry: {RigProfiles.Esp32RigName}, {RigProfiles.QuanserIp02Name}.", DefaultValueFactory = _ => RigProfiles.Esp32RigName };
        profile.AcceptOnlyFromAmong(RigProfiles.Esp32RigName, RigProfiles.QuanserIp02Name);
        var homed = new Option<bool>("--homed") { Description = "The rig behind the link is homed and calibrated at each Hello (use with hil --homed; implied by --task balance, as in run)." };
        var ticks = new Option<long?>("--ticks") { Description = "Stop after this many control ticks." };
        var seconds = new Option<double?>("--seconds") { Description = "Stop after this many seconds." };
        var summary = new Option<string?>("--summary") { Description = "Write the device's counters as JSON to this file when it stops." };
        var command = new Command("device", "A virtual HIL device: run the Core's control loop behind --port as the firmware's HIL mode does, until the port closes, a limit or Ctrl+C.")
        {
            port, baud, planner, task, profile, homed, ticks, seconds, summary,
        };

        command.SetAction(parse =>
        {
            long? maxTicks = parse.GetValue(ticks);
            double? maxSeconds = parse.GetValue(seconds);
            if (maxTicks is long t && t < 1)
            {
                return CliErrors.Report($"--ticks must be at least 1; got {t}.");
            }

            if (maxSeconds is double s && !(s > 0))
            {
                return CliErrors.Report($"--seconds must be above 0; got {s}.");
            }

            var settings = new VirtualDeviceSettings
            {
                Port = parse.GetValue(port)!,
                BaudRate = parse.GetValue(baud),
                Controller = new RunSettings
                {
                    Planner = parse.GetValue(planner)!,
                    Task = RunSettings.ParseTask(parse.GetValue(task)!),
                    ProfileName = parse.GetValue(profile)!,
                    StartHomed = parse.GetValue(homed) ? true : null,
                },
                MaxTicks = maxTicks,
                MaxSeconds = maxSeconds,
            };
            return Execute(settings, parse.GetValue(summary));
        });
        return command;
    }

    private static int Execute(VirtualDeviceSettings settings, string? summaryPath)
    {
        VirtualDevice device;
        try
        {
            device = new VirtualDevice(settings, Console.Out);
        }
        catch (ArgumentException error)
        {
            return CliErrors.Report(error.Message);
        }

        using (device)
        using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; device.RequestStop("SIGTERM"); }))
        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; device.RequestStop("SIGINT"); }))
        {
            DeviceReport report = device.Run();
            if (summaryPath is not null)
            {
                try
                {
                    string temporary = summaryPath + ".tmp";
                    File.WriteAllText(temporary, report.ToJson() + "\n");
                    File.Move(temporary, summaryPath, overwrite: true);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    return CliErrors.Report($"cannot write the device summary to '{summaryPath}': {error.Message}");
                }
            }
        }

        return ExitCodes.Success;
    }
}
