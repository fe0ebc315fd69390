using System;
using System.CommandLine;
using System.IO;
using System.Runtime.InteropServices;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Hil;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Cli;

/// <summary>
/// The `device` command: a virtual device behind a serial port. HIL mode (the default): the Core's control loop
/// served sensor readings by the host, as the firmware's HIL mode. Rig mode (<c>--rig</c>): the firmware's rig mode
/// (<see cref="VirtualRig"/>) around the simulated rig of `run`, on the wall clock, with a model store.
/// </summary>
public static class VirtualDeviceCommand
{
    public static Command Create()
    {
        var port = new Option<string>("--port") { Description = "Serial port to serve (e.g. /dev/ttyUSB1, or one end of a socat pty pair).", Required = true };
        var baud = new Option<int>("--baud") { Description = "Line speed, baud (8N1, no flow control).", DefaultValueFactory = _ => HilDefaults.BaudRate };
        var planner = new Option<string>("--planner") { Description = $"Planner kind (the protocol carries sizes and seed, not the kind; default {RunSettings.HilDefaultPlanner}, with --rig the firmware's {RunSettings.DefaultPlanner}): " + string.Join(", ", PlannerCatalog.Names) + "." };
        planner.AcceptOnlyFromAmong(PlannerCatalog.Names);
        var task = new Option<string>("--task") { Description = "Task whose cost the planner uses: swingup or balance (not in the protocol).", DefaultValueFactory = _ => "swingup" };
        task.AcceptOnlyFromAmong(RunSettings.TaskNames);
        var profile = new Option<string>("--profile") { Description = $"Rig profile before any Configuration; it also supplies the drive model and switch offsets, which the protocol does not carry: {RigProfiles.Esp32RigName}, {RigProfiles.QuanserIp02Name}.", DefaultValueFactory = _ => RigProfiles.Esp32RigName };
        profile.AcceptOnlyFromAmong(RigProfiles.Esp32RigName, RigProfiles.QuanserIp02Name);
        var homed = new Option<bool>("--homed") { Description = "The rig behind the link is homed and calibrated at each Hello (use with hil --homed; implied by --task balance, as in run)." };
        var ticks = new Option<long?>("--ticks") { Description = "Stop after this many control ticks." };
        var seconds = new Option<double?>("--seconds") { Description = "Stop after this many seconds." };
        var summary = new Option<string?>("--summary") { Description = "Write the device's counters as JSON to this file when it stops (HIL mode)." };
        var rig = new Option<bool>("--rig") { Description = "Rig mode: the firmware's rig mode around the simulated rig of run (powered on un-homed, pole hanging), on the wall clock: Telemetry from start-up, Start/Stop/Reset/Excite, a model sent by configure." };
        var plant = new Option<string>("--plant") { Description = "With --rig: physics of the simulated rig, as run: " + string.Join(", ", Plants.PlantNames.Plants) + ".", DefaultValueFactory = _ => "equations" };
        plant.AcceptOnlyFromAmong(Plants.PlantNames.Plants);
        var reality = new Option<string>("--reality") { Description = "With --rig: effects the model leaves out, as run: " + string.Join(", ", Plants.PlantNames.Realities) + ".", DefaultValueFactory = _ => "ideal" };
        reality.AcceptOnlyFromAmong(Plants.PlantNames.Realities);
        var seed = new Option<uint>("--seed") { Description = "With --rig: seed of the simulated rig (power-on position, reality draw) and the planner, as run.", DefaultValueFactory = _ => 1u };
        var store = new Option<string?>("--store") { Description = "With --rig: the file that keeps a model sent across restarts (the board's flash); without it nothing is kept." };
        var command = new Command("device", "A virtual HIL device: run the Core's control loop behind --port as the firmware's HIL mode does, until the port closes, a limit or Ctrl+C.")
        {
            port, baud, planner, task, profile, homed, ticks, seconds, summary, rig, plant, reality, seed, store,
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

            if (parse.GetValue(rig))
            {
                return ExecuteRig(parse, maxTicks, maxSeconds, planner, task, profile, homed, summary, plant, reality, seed, store, port, baud);
            }

            foreach (Option riggish in new Option[] { plant, reality, seed, store })
            {
                if (parse.GetResult(riggish) is { Implicit: false })
                {
                    return CliErrors.Report($"{riggish.Name} applies to rig mode (--rig); HIL mode simulates no rig of its own.");
                }
            }

            var settings = new VirtualDeviceSettings
            {
                Port = parse.GetValue(port)!,
                BaudRate = parse.GetValue(baud),
                Controller = new RunSettings
                {
                    Planner = parse.GetValue(planner) ?? RunSettings.HilDefaultPlanner,
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

    private static int ExecuteRig(ParseResult parse, long? maxTicks, double? maxSeconds, Option<string> planner, Option<string> task, Option<string> profile,
        Option<bool> homed, Option<string?> summary, Option<string> plant, Option<string> reality, Option<uint> seed, Option<string?> store,
        Option<string> port, Option<int> baud)
    {
        if (maxTicks is not null || parse.GetResult(summary) is not null || parse.GetValue(homed) || parse.GetValue(task) != "swingup")
        {
            return CliErrors.Report("--ticks, --summary, --homed and --task apply to HIL mode; a rig in rig mode powers on un-homed, swings up, and runs until --seconds, the port closes or Ctrl+C.");
        }

        string? storePath = parse.GetValue(store);
        if (storePath is not null && Directory.Exists(storePath))
        {
            return CliErrors.Report($"--store '{storePath}' is a directory; give a file (created when a model is first accepted).");
        }

        var settings = new VirtualRigSettings
        {
            Port = parse.GetValue(port)!,
            BaudRate = parse.GetValue(baud),
            Controller = new RunSettings
            {
                Planner = parse.GetValue(planner) ?? RunSettings.DefaultPlanner,
                ProfileName = parse.GetValue(profile)!,
                Plant = Plants.PlantNames.ParsePlant(parse.GetValue(plant)!),
                Reality = Plants.PlantNames.ParseReality(parse.GetValue(reality)!),
                Seed = parse.GetValue(seed),
                StartHomed = false,
            },
            StorePath = storePath,
            MaxSeconds = maxSeconds,
        };

        VirtualRig device;
        try
        {
            device = new VirtualRig(settings, Console.Out);
        }
        catch (ArgumentException error)
        {
            return CliErrors.Report(error.Message);
        }

        using (device)
        using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; device.RequestStop("SIGTERM"); }))
        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; device.RequestStop("SIGINT"); }))
        {
            device.Run();
        }

        return ExitCodes.Success;
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
