using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Simulation;
using Spectre.Console;

namespace EmbeddedMpc.HostSim.Cli;

/// <summary>The `run` command: one closed-loop simulation with outputs.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var task = new Option<string>("--task") { Description = "swingup: start hanging and swing up; balance: start at 0.2 rad and balance.", DefaultValueFactory = _ => "swingup" };
        task.AcceptOnlyFromAmong(RunSettings.TaskNames);
        var planner = new Option<string>("--planner") { Description = "Planner: " + string.Join(", ", PlannerCatalog.Names) + " (see README).", DefaultValueFactory = _ => "cem" };
        planner.AcceptOnlyFromAmong(PlannerCatalog.Names);
        var profile = new Option<string>("--profile") { Description = $"Rig profile: {RigProfiles.AllNames}.", DefaultValueFactory = _ => RigProfiles.Esp32RigName };
        profile.AcceptOnlyFromAmong(RigProfiles.AllNames.Split(", "));
        var seed = new Option<uint>("--seed") { Description = "Seed of the start state, the planner's samples and the model mismatch.", DefaultValueFactory = _ => 1u };
        var duration = new Option<double>("--duration") { Description = "Simulated time in seconds, [0.1, 3600].", DefaultValueFactory = _ => 10.0 };
        var output = new Option<string?>("--out") { Description = "Output directory (default: runs/<task>-<planner>-<profile>-seed<N>)." };
        var samples = new Option<int?>("--samples") { Description = "Sampled sequences per iteration (default: cem 24, shooting 200)." };
        var horizon = new Option<int?>("--horizon") { Description = "Planning horizon in control periods (default 40 = 0.8 s at 50 Hz)." };
        var iterations = new Option<int?>("--iterations") { Description = "CEM iterations per tick (default 3)." };
        var elites = new Option<int?>("--elites") { Description = "CEM elites per iteration (default 4)." };
        var mismatch = new Option<double>("--mismatch") { Description = "Scale each of the planner's model parameters by a seeded factor in [1-m, 1+m], m in [0, 0.9].", DefaultValueFactory = _ => 0.0 };
        var delay = new Option<int>("--delay-ticks") { Description = "Control periods between the controller setting a duty and the drive applying it, [0, 5].", DefaultValueFactory = _ => 0 };
        var homed = new Option<bool>("--homed") { Description = "Start from a homed, calibrated rig instead of powering on and homing (implied for balance and for profiles without limit switches)." };
        var initialAngle = new Option<double?>("--initial-angle") { Description = "Initial pole angle in radians, 0 upright (default: pi for swingup, 0.2 for balance)." };

        var command = new Command("run", "Simulate the rig in closed loop with the planner; write summary.json, log.csv and PNG plots.")
        {
            task, planner, profile, seed, duration, output, samples, horizon, iterations, elites, mismatch, delay, homed, initialAngle,
        };

        command.SetAction(parse =>
        {
            var settings = new RunSettings
            {
                Task = RunSettings.ParseTask(parse.GetValue(task)!),
                Planner = parse.GetValue(planner)!,
                ProfileName = parse.GetValue(profile)!,
                Seed = parse.GetValue(seed),
                DurationSeconds = parse.GetValue(duration),
                Samples = parse.GetValue(samples),
                Horizon = parse.GetValue(horizon),
                Iterations = parse.GetValue(iterations),
                Elites = parse.GetValue(elites),
                Mismatch = parse.GetValue(mismatch),
                InitialAngleRadians = parse.GetValue(initialAngle),
                StartHomed = parse.GetValue(homed) ? true : null,
                ActuationDelayTicks = parse.GetValue(delay),
            };
            string directory = parse.GetValue(output) ?? DefaultOutputDirectory(settings);
            return Execute(settings, directory);
        });
        return command;
    }

    /// <summary>runs/&lt;task&gt;-&lt;planner&gt;-&lt;profile&gt;-seed&lt;N&gt; under the current directory.</summary>
    public static string DefaultOutputDirectory(RunSettings settings) =>
        Path.Combine("runs", $"{RunSettings.TaskName(settings.Task)}-{settings.Planner}-{settings.ProfileName}-seed{settings.Seed}");

    private static int Execute(RunSettings settings, string directory)
    {
        RunResult run;
        try
        {
            run = ClosedLoopRun.Execute(settings);
        }
        catch (ArgumentException error)
        {
            return CliErrors.Report(error.Message);
        }

        try
        {
            RunOutputWriter.Write(run, directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return CliErrors.Report($"cannot write the outputs to '{directory}': {error.Message}");
        }

        PrintSummary(run, directory);
        return 0;
    }

    private static void PrintSummary(RunResult run, string directory)
    {
        RunMetrics m = run.Metrics;
        RunSettings s = run.Settings;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("run").AddColumn(new TableColumn("value").RightAligned());
        table.Title = new TableTitle($"{RunSettings.TaskName(s.Task)} · {s.Planner} · {s.ProfileName} · seed {s.Seed}");
        table.AddRow("success", m.Success ? "[green]yes[/]" : "[red]no[/]");
        table.AddRow("modes", string.Join(" → ", Array.ConvertAll(run.Modes, ModeNames.Of)) + (m.Fault != EmbeddedMpc.Core.Safety.FaultReason.None ? $" ({ModeNames.Of(m.Fault)})" : ""));
        table.AddRow("homing", s.ResolveStartHomed(run.Profile) ? "started homed" : $"{m.HomingSeconds:F2} s");
        table.AddRow("time to upright", m.TimeToUprightSeconds is double t ? $"{t:F2} s" : "never");
        table.AddRow("dm_control return", $"{m.DmControlReturn:F1} (of {s.DurationSeconds / 0.01:F0})");
        table.AddRow("max |cart position|", $"{m.MaxAbsCartPositionMeters:F3} m of {run.Profile.CopyParameters().TrackHalfLengthMeters:F3} m");
        table.AddRow("model steps per tick, mean / max", $"{m.ModelStepsPerTick:F0} / {m.ModelStepsPerTickMax}");
        table.AddRow("planning time median / p99", $"{m.PlanningMicrosecondsMedian:F0} / {m.PlanningMicrosecondsP99:F0} µs");
        table.AddRow("allocated per tick", $"{m.AllocatedBytesPerTick.ToString("F0", CultureInfo.InvariantCulture)} bytes");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"outputs: [blue]{Path.GetFullPath(directory)}[/] ({string.Join(", ", RunOutputWriter.FileNames)})");
    }
}

/// <summary>How commands report a bad input: one line on standard error, exit code 2.</summary>
public static class CliErrors
{
    public const int BadInputExitCode = 2;

    public static int Report(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return BadInputExitCode;
    }
}
