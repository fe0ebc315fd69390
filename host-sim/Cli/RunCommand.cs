using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Simulation;
using Spectre.Console;

namespace EmbeddedMpc.HostSim.Cli;

/// <summary>The `run` command: one closed-loop simulation with outputs.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var options = new RunOptions();
        var command = new Command("run", "Simulate the rig in closed loop with the planner; write summary.json, log.csv and PNG plots.");
        options.AddTo(command);
        options.AddProfileFilesTo(command);
        var gif = new Option<bool>("--gif") { Description = $"Also write replay.gif: the run as an animated GIF from just before the task to {GifWriter.Seconds:0} s into it." };
        command.Options.Add(gif);
        options.AddPlantOptionsTo(command);

        command.SetAction(parse =>
        {
            if (options.ConflictingProfileOptions(parse) is string conflict)
            {
                return CliErrors.Report(conflict);
            }

            RunSettings settings = options.ToSettings(parse, withProfileFiles: true);
            string directory = parse.GetValue(options.Output) ?? DefaultOutputDirectory(settings);
            return Execute(settings, directory, parse.GetValue(gif));
        });
        return command;
    }

    /// <summary>runs/&lt;task&gt;-&lt;planner&gt;-&lt;profile&gt;-seed&lt;N&gt; under the current directory.</summary>
    public static string DefaultOutputDirectory(RunSettings settings) =>
        Path.Combine("runs", $"{RunSettings.TaskName(settings.Task)}-{settings.Planner}-{settings.ProfileName}-seed{settings.Seed}");

    private static int Execute(RunSettings settings, string directory, bool gif)
    {
        try
        {
            PlannerOptionCheck.Validate(settings);
            StagedOutput.RequireWritable(directory);
        }
        catch (ArgumentException error)
        {
            return CliErrors.Report(error.Message);
        }

        RunResult run = ExecuteWithProgress(settings, "run");
        try
        {
            RunOutputWriter.Write(run, directory, gif);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return CliErrors.Report($"cannot write the outputs to '{directory}': {error.Message}");
        }

        PrintSummary(run, directory, gif);
        return ExitCodes.Success;
    }

    /// <summary>Runs <paramref name="settings"/> (already checked), reporting progress on standard error when it takes a while.</summary>
    /// <exception cref="OperationCanceledException">The process is being interrupted.</exception>
    internal static RunResult ExecuteWithProgress(RunSettings settings, string what)
    {
        ProgressReporter progress = ProgressReporter.OnStandardError(what, fraction =>
            fraction < 0 ? "homing" : $"task time {fraction * settings.DurationSeconds:0.0} of {settings.DurationSeconds:0.#} s");
        try
        {
            return ClosedLoopRun.Execute(settings, progress: progress.Report);
        }
        finally
        {
            progress.Finish();
        }
    }

    private static void PrintSummary(RunResult run, string directory, bool gif) => PrintSummary(run, directory, null, gif);

    /// <summary>Prints the run's summary table (with <paramref name="extraRows"/> at its end) and where the outputs are.</summary>
    internal static void PrintSummary(RunResult run, string directory, Action<Table>? extraRows, bool gif = false)
    {
        RunMetrics m = run.Metrics;
        RunSettings s = run.Settings;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("run").AddColumn(new TableColumn("value").RightAligned());
        table.Title = new TableTitle($"{RunSettings.TaskName(s.Task)} · {s.Planner} · {s.ProfileName} · seed {s.Seed}");
        table.AddRow("success", m.Success ? "[green]yes[/]" : "[red]no[/]");
        table.AddRow("plant", $"{Plants.PlantNames.Of(s.Plant)}, reality {Plants.PlantNames.Of(s.Reality)}");
        table.AddRow("modes", string.Join(" → ", Array.ConvertAll(run.Modes, ModeNames.Of)) + (m.Fault != EmbeddedMpc.Core.Safety.FaultReason.None ? $" ({ModeNames.Of(m.Fault)})" : ""));
        table.AddRow("homing", s.ResolveStartHomed(run.Profile) ? "started homed" : $"{m.HomingSeconds:F2} s");
        table.AddRow("catches declined", $"{m.DeclinedCatches}");
        table.AddRow("time to upright", m.TimeToUprightSeconds is double t ? $"{t:F2} s" : "never");
        table.AddRow("dm_control return", $"{m.DmControlReturn:F1} (of {s.DurationSeconds / 0.01:F0})");
        table.AddRow("max |cart position|", $"{m.MaxAbsCartPositionMeters:F3} m of {run.Profile.CopyParameters().TrackHalfLengthMeters:F3} m");
        table.AddRow("model steps per tick, mean / max", $"{m.ModelStepsPerTick:F0} / {m.ModelStepsPerTickMax}");
        table.AddRow("planning time median / p99", $"{m.PlanningMicrosecondsMedian:F0} / {m.PlanningMicrosecondsP99:F0} µs");
        table.AddRow("planning overruns, longest streak", $"{m.PlanningOverruns} ticks, {m.LongestOverrunStreak}");
        table.AddRow("allocated per tick", double.IsNaN(m.AllocatedBytesPerTick)
            ? "not measured here"
            : $"{m.AllocatedBytesPerTick.ToString("F0", CultureInfo.InvariantCulture)} bytes");
        extraRows?.Invoke(table);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"outputs: [blue]{Path.GetFullPath(directory)}[/] ({string.Join(", ", RunOutputWriter.FileNamesFor(run, gif))})");
    }
}

/// <summary>How commands report a bad input: one line on standard error, <see cref="ExitCodes.BadInput"/>.</summary>
public static class CliErrors
{
    /// <summary>Writes "error: <paramref name="message"/>" to standard error; returns <see cref="ExitCodes.BadInput"/>.</summary>
    public static int Report(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return ExitCodes.BadInput;
    }

    /// <summary>
    /// The message for a command line that gives both <paramref name="first"/> and <paramref name="second"/>,
    /// which exclude each other (<paramref name="what"/> says what each supplies); null when at most one was
    /// typed (an option's default does not count).
    /// </summary>
    public static string? BothGiven(ParseResult parse, Option first, Option second, string what) =>
        parse.GetResult(first) is { Implicit: false } && parse.GetResult(second) is { Implicit: false }
            ? $"{first.Name} and {second.Name} exclude each other; accepted: one of them ({what})."
            : null;
}
