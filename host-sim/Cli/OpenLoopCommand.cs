using System;
using System.CommandLine;
using System.IO;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Simulation;
using Spectre.Console;

namespace EmbeddedMpc.HostSim.Cli;

/// <summary>
/// The `open-loop` command: the same run twice, closed loop (the receding-horizon controller re-plans
/// from every measurement) and open loop (the whole run planned once before the first tick and played
/// blindly), under the same disturbance and mismatch; writes both runs' outputs and comparison.png.
/// </summary>
public static class OpenLoopCommand
{
    /// <summary>When the command pushes the pole unless told otherwise: 4 s into the task, after the swing-up.</summary>
    public const double DefaultPushAtSeconds = 4.0;

    public static Command Create()
    {
        var options = new RunOptions("runs/open-loop-<task>-<planner>-<profile>-seed<N>");
        var command = new Command("open-loop",
            "Run closed loop and open loop (planned once, played blindly) under the same push and mismatch; write closed-loop/, open-loop/ and comparison.png. "
            + $"Without --push-at the pole is pushed at {DefaultPushAtSeconds} s (if the run lasts longer); --push-at -1 for no push.");
        options.AddTo(command);
        options.AddProfileFilesTo(command);
        options.AddPlantOptionsTo(command);
        command.Options.Remove(options.OpenLoop);
        command.SetAction(parse =>
        {
            RunSettings settings = options.ToSettings(parse, withProfileFiles: true);
            double? pushAt = parse.GetValue(options.PushAt) switch
            {
                null when settings.DurationSeconds > DefaultPushAtSeconds => DefaultPushAtSeconds,
                null => null,
                < 0 => null,
                double at => at,
            };
            settings = settings with { PushAtSeconds = pushAt };
            string directory = parse.GetValue(options.Output)
                ?? Path.Combine("runs", $"open-loop-{RunSettings.TaskName(settings.Task)}-{settings.Planner}-{settings.ProfileName}-seed{settings.Seed}");
            return Execute(settings, directory);
        });
        return command;
    }

    /// <summary>
    /// The closed-loop and open-loop runs of <paramref name="settings"/> (its <see cref="RunSettings.OpenLoop"/> is ignored).
    /// </summary>
    /// <exception cref="ArgumentException">A setting is out of range (the message names it).</exception>
    public static (RunResult ClosedLoop, RunResult OpenLoop) Compare(RunSettings settings)
    {
        RunResult closedLoop = ClosedLoopRun.Execute(settings with { OpenLoop = false });
        RunResult openLoop = ClosedLoopRun.Execute(settings with { OpenLoop = true });
        return (closedLoop, openLoop);
    }

    private static int Execute(RunSettings settings, string directory)
    {
        RunResult closedLoop;
        RunResult openLoop;
        try
        {
            (closedLoop, openLoop) = Compare(settings);
        }
        catch (ArgumentException error)
        {
            return CliErrors.Report(error.Message);
        }

        try
        {
            RunOutputWriter.Write(closedLoop, Path.Combine(directory, "closed-loop"));
            RunOutputWriter.Write(openLoop, Path.Combine(directory, "open-loop"));
            PlotWriter.WriteComparison(closedLoop, openLoop, Path.Combine(directory, "comparison.png"));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return CliErrors.Report($"cannot write the outputs to '{directory}': {error.Message}");
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn("success").AddColumn("time to upright").AddColumn("dm_control return").AddColumn("max |x|");
        RunSettings s = closedLoop.Settings;
        table.Title = new TableTitle($"{s.Planner} · {s.ProfileName} · seed {s.Seed} · "
            + (s.PushAtSeconds is double at ? $"push {s.PushRadiansPerSecond:+0.##;-0.##} rad/s at {at} s" : "no push")
            + (s.Mismatch > 0 ? $" · mismatch ±{s.Mismatch:P0}" : ""));
        foreach ((string name, RunResult run) in new[] { ("closed loop", closedLoop), ("open loop", openLoop) })
        {
            RunMetrics m = run.Metrics;
            table.AddRow(name, m.Success ? "[green]yes[/]" : "[red]no[/]", m.TimeToUprightSeconds is double t ? $"{t:F2} s" : "never",
                $"{m.DmControlReturn:F1}", $"{m.MaxAbsCartPositionMeters:F3} m");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"outputs: [blue]{Path.GetFullPath(directory)}[/] (closed-loop/, open-loop/, comparison.png)");
        return ExitCodes.Success;
    }
}
