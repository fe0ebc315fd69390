using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Bench;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Plants;
using EmbeddedMpc.HostSim.Simulation;
using Spectre.Console;

namespace EmbeddedMpc.HostSim.Cli;

/// <summary>The `bench` command: a matrix of planners x tasks x profiles x seeds, run across the cores.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A small matrix (cem, cem-pets, energy-lqr, icem-dm, mppi on dm-control and esp32-rig, 5 seeds) that takes under a minute." };
        var planners = new Option<string?>("--planners") { Description = $"Comma-separated planners (default: all: {string.Join(", ", PlannerCatalog.Names)})." };
        var tasks = new Option<string?>("--tasks") { Description = "Comma-separated tasks: swingup, balance (default swingup)." };
        var profiles = new Option<string?>("--profiles") { Description = $"Comma-separated profiles (default dm-control,esp32-rig; accepted: {RigProfiles.AllNames})." };
        var seeds = new Option<int?>("--seeds") { Description = "Seeds per cell (default 20, quick 5)." };
        var firstSeed = new Option<uint>("--first-seed") { Description = "First seed.", DefaultValueFactory = _ => 1u };
        var duration = new Option<double>("--duration") { Description = "Simulated seconds per run.", DefaultValueFactory = _ => 10.0 };
        var mismatch = new Option<string>("--mismatch") { Description = "Comma-separated planner model mismatches, each in [0, 0.9].", DefaultValueFactory = _ => "0" };
        var delay = new Option<string>("--delay-ticks") { Description = "Comma-separated actuation delays in control periods, each in [0, 5].", DefaultValueFactory = _ => "0" };
        var plant = new Option<string>("--plant") { Description = "Physics of every run: equations (the project's own), mujoco (MuJoCo 2.2.2; dm-control profile only).", DefaultValueFactory = _ => "equations" };
        var reality = new Option<string>("--reality") { Description = "Comma-separated reality levels: ideal, typical, harsh (see host-sim/Plants/README.md).", DefaultValueFactory = _ => "ideal" };
        var realityEffects = new Option<string?>("--reality-effects") { Description = "Comma-separated reality effects to keep, the others off (default all): " + string.Join(", ", RealityEffects.EffectNames) + "." };
        var particles = new Option<int?>("--particles") { Description = "Expected-return particles of every run, [1, 32] (sampling planners; default: each planner's)." };
        var processNoise = new Option<double>("--process-noise") { Description = "Process noise of the particles' rollouts, m/s², [0, 50] (with --particles 2 or more).", DefaultValueFactory = _ => 0.0 };
        var noCatchCheck = new Option<bool>("--no-catch-check") { Description = "Every run hands over to the balance LQR on angle and speed alone, without the planner's catch check." };
        var homing = new Option<bool>("--homing") { Description = "Let rigs with limit switches power on and home first instead of starting homed." };
        var parallel = new Option<int>("--parallel") { Description = "Runs at once (default: the number of cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string>("--out") { Description = "Output directory for bench.md and bench.json.", DefaultValueFactory = _ => "bench" };
        var command = new Command("bench", "Run a matrix of planners x tasks x profiles x seeds and write bench.md and bench.json.")
        {
            quick, planners, tasks, profiles, seeds, firstSeed, duration, mismatch, delay, plant, reality, realityEffects, particles, processNoise, noCatchCheck, homing, parallel, output,
        };

        command.SetAction(parse =>
        {
            BenchSettings defaults = parse.GetValue(quick) ? BenchSettings.Quick() : new BenchSettings();
            BenchSettings settings;
            try
            {
                settings = new BenchSettings
                {
                    Planners = Split(parse.GetValue(planners)) ?? defaults.Planners,
                    Tasks = Split(parse.GetValue(tasks))?.Select(RunSettings.ParseTask).ToArray() ?? defaults.Tasks,
                    Profiles = Split(parse.GetValue(profiles)) ?? defaults.Profiles,
                    Seeds = parse.GetValue(seeds) ?? defaults.Seeds,
                    FirstSeed = parse.GetValue(firstSeed),
                    DurationSeconds = parse.GetValue(duration),
                    Mismatches = Numbers(parse.GetValue(mismatch)!, "--mismatch", double.Parse),
                    ActuationDelays = Numbers(parse.GetValue(delay)!, "--delay-ticks", int.Parse),
                    Plant = PlantNames.ParsePlant(parse.GetValue(plant)!),
                    Realities = Split(parse.GetValue(reality))!.Select(PlantNames.ParseReality).ToArray(),
                    RealityEffectsKept = Split(parse.GetValue(realityEffects)),
                    Particles = parse.GetValue(particles),
                    ProcessNoise = parse.GetValue(processNoise),
                    StartHomed = !parse.GetValue(homing),
                    NoCatchCheck = parse.GetValue(noCatchCheck),
                    Parallelism = parse.GetValue(parallel),
                };
                settings.Validate();
                StagedOutput.RequireWritable(parse.GetValue(output)!);
            }
            catch (ArgumentException error)
            {
                return CliErrors.Report(error.Message);
            }

            return Execute(settings, parse.GetValue(output)!);
        });
        return command;
    }

    private static string[]? Split(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A comma-separated list of numbers; <see cref="ArgumentException"/> naming <paramref name="option"/> if one is not a number.</summary>
    private static T[] Numbers<T>(string list, string option, Func<string, IFormatProvider, T> parse) =>
        Split(list)!.Select(item =>
        {
            try
            {
                return parse(item, CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw new ArgumentException($"{option} takes comma-separated numbers; got '{item}'.");
            }
        }).ToArray();

    private static int Execute(BenchSettings settings, string directory)
    {
        var stopwatch = Stopwatch.StartNew();
        BenchCell[] cells = [];
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                int total = settings.RunCount;
                ProgressTask task = context.AddTask($"{total} runs on {settings.Parallelism} cores", maxValue: total);
                cells = BenchRunner.Run(settings, (done, _) =>
                {
                    task.Value = done;
                    if (!AnsiConsole.Profile.Capabilities.Interactive)
                    {
                        Console.Error.WriteLine($"bench: {done} of {total} runs finished"); // no live bar in a log or a pipe
                    }
                });
            });

        int total = settings.RunCount;
        int finished = cells.Sum(c => c.Runs);
        string? interrupted = Interruption.Requested ? $"Interrupted: {finished} of {total} runs finished; the table covers those." : null;
        try
        {
            BenchReport.Write(settings, cells, directory, interrupted);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return CliErrors.Report($"cannot write the bench results to '{directory}': {error.Message}");
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (string column in new[] { "planner", "task", "profile", "reality", "mismatch", "delay", "success", "upright med/p90 s", "return", "steps/tick mean/max", "µs med/p99", "B/tick" })
        {
            table.AddColumn(column);
        }

        foreach (BenchCell c in cells)
        {
            table.AddRow(c.Planner, c.Task, c.Profile, c.Reality, $"±{c.Mismatch * 100:0} %", $"{c.ActuationDelayTicks}", $"{c.SuccessRate * 100:0} %",
                c.TimeToUprightMedianSeconds is double m ? $"{m:F2} / {c.TimeToUprightP90Seconds:F2}" : "never",
                $"{c.DmControlReturnMean:F0} ± {c.DmControlReturnStandardDeviation:F0}", $"{c.ModelStepsPerTickMean:F0} / {c.ModelStepsPerTickMax}",
                $"{c.PlanningMicrosecondsMedian:F0} / {c.PlanningMicrosecondsP99:F0}", $"{c.AllocatedBytesPerTickMax:F0}");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"{stopwatch.Elapsed.TotalSeconds:F0} s; results: [blue]{Path.GetFullPath(directory)}[/] (bench.md, bench.json)");
        if (interrupted is not null)
        {
            Console.Error.WriteLine(interrupted);
            return ExitCodes.Interrupted;
        }

        return ExitCodes.Success;
    }
}
