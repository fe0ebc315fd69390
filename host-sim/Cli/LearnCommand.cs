using System;
using System.CommandLine;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Identification;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Plants;
using EmbeddedMpc.HostSim.Simulation;
using Spectre.Console;

namespace EmbeddedMpc.HostSim.Cli;

/// <summary>The `learn` command: identification and re-planning in a loop until the swing-up succeeds.</summary>
public static class LearnCommand
{
    public static Command Create()
    {
        var defaults = new LearnSettings();
        var profile = new Option<string>("--profile") { Description = $"The plant: {RigProfiles.AllNames}.", DefaultValueFactory = _ => defaults.ProfileName };
        profile.AcceptOnlyFromAmong(RigProfiles.AllNames.Split(", "));
        var reality = new Option<string>("--reality") { Description = "Effects of the plant beyond the planner's equations (host-sim/Plants/README.md), one draw per seed for every round: ideal, typical, harsh.", DefaultValueFactory = _ => PlantNames.Of(defaults.Reality) };
        reality.AcceptOnlyFromAmong(PlantNames.Realities);
        var planner = new Option<string>("--planner") { Description = "Planner of the swing-up attempts.", DefaultValueFactory = _ => defaults.Planner };
        planner.AcceptOnlyFromAmong(PlannerCatalog.Names);
        var seed = new Option<uint>("--seed") { Description = "Seed of the wrong starting model, the runs and the bootstrap.", DefaultValueFactory = _ => defaults.Seed };
        var error = new Option<double>("--initial-error") { Description = "Relative error of every identifiable parameter of the starting model, (0, 0.6].", DefaultValueFactory = _ => defaults.InitialError };
        var excite = new Option<double>("--excite-seconds") { Description = "Length of each excitation run, s, [3, 600].", DefaultValueFactory = _ => defaults.ExciteSeconds };
        var exciteFirst = new Option<bool>("--excite-first") { Description = "Excite and identify before the first swing-up attempt (no attempt with the wrong model); --excite-first false attempts first.", DefaultValueFactory = _ => defaults.ExciteFirst };
        var excitation = new Option<string>("--excitation") { Description = "What an excitation run does: multisine (the cart tracks a multisine, pole hanging) or swingup (a swing-up attempt with the current model, cut to --excite-seconds).", DefaultValueFactory = _ => defaults.Excitation == LearnExcitation.SwingUp ? "swingup" : "multisine" };
        excitation.AcceptOnlyFromAmong("multisine", "swingup");
        var attempt = new Option<double>("--attempt-seconds") { Description = "Length of each swing-up attempt, s, [4, 600].", DefaultValueFactory = _ => defaults.AttemptSeconds };
        var rounds = new Option<int>("--max-rounds") { Description = "Most identification rounds, [1, 20].", DefaultValueFactory = _ => defaults.MaxRounds };
        var output = new Option<string>("--out") { Description = "Output directory (learn.json, round-N/).", DefaultValueFactory = _ => Path.Combine("runs", "learn") };
        var command = new Command("learn", "Start from a wrong model, alternate excitation runs on the simulated plant with identification, and re-plan until the swing-up succeeds.");
        foreach (Option option in new Option[] { profile, reality, planner, seed, error, excite, exciteFirst, excitation, attempt, rounds, output })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var settings = new LearnSettings
            {
                ProfileName = parse.GetValue(profile)!,
                Reality = PlantNames.ParseReality(parse.GetValue(reality)!),
                Planner = parse.GetValue(planner)!,
                Seed = parse.GetValue(seed),
                InitialError = parse.GetValue(error),
                ExciteSeconds = parse.GetValue(excite),
                ExciteFirst = parse.GetValue(exciteFirst),
                Excitation = parse.GetValue(excitation) == "swingup" ? LearnExcitation.SwingUp : LearnExcitation.Multisine,
                AttemptSeconds = parse.GetValue(attempt),
                MaxRounds = parse.GetValue(rounds),
            };
            string directory = parse.GetValue(output)!;
            try
            {
                settings.Validate();
                StagedOutput.RequireWritable(directory);
            }
            catch (ArgumentException e)
            {
                return CliErrors.Report(e.Message);
            }

            IReadOnlyList<LearnRound> result;
            try
            {
                result = LearnLoop.Run(settings, directory, round => AnsiConsole.MarkupLine(
                    $"round {round.Round}: {(round.Success ? "[green]swing-up succeeded[/]" : "[red]swing-up failed[/]")}, largest parameter error {round.MaxAbsRelativeError:P1}, plant time {round.PlantSeconds:F0} s"));
            }
            catch (ArgumentException e)
            {
                return CliErrors.Report(e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return CliErrors.Report($"cannot write the outputs to '{directory}': {e.Message}");
            }

            Print(result, directory);
            return result[^1].Success ? ExitCodes.Success : ExitCodes.LearningDidNotSwingUp;
        });
        return command;
    }

    /// <summary>+1.2 %, -0.4 %, and 0.0 % for what rounds to zero (a custom format would print "-+0.0%" for a tiny negative value).</summary>
    private static string SignedPercent(double fraction)
    {
        double rounded = Math.Round(fraction * 100, 1);
        return rounded == 0 ? "0.0%" : rounded.ToString("+0.0;-0.0", System.Globalization.CultureInfo.InvariantCulture) + "%";
    }

    private static void Print(IReadOnlyList<LearnRound> rounds, string directory)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("round").AddColumn(new TableColumn("plant s").RightAligned());
        foreach (string label in new[] { "M+m", "m l", "J", "b_p", "b_c+k", "deadband" })
        {
            table.AddColumn(new TableColumn(label).RightAligned());
        }

        table.AddColumn("swing-up");
        foreach (LearnRound r in rounds)
        {
            var cells = new List<string> { r.Round.ToString(), $"{r.PlantSeconds:F0}" };
            cells.AddRange(LearnLoop.ParameterNames.Select(n => SignedPercent(r.RelativeErrors[n])));
            cells.Add(r.Success ? $"[green]yes[/] ({r.TimeToUprightSeconds:F2} s)" : "[red]no[/]");
            table.AddRow(cells.ToArray());
        }

        AnsiConsole.Write(table);
        if (rounds[^1].SecondsToSwingUp is double toSwingUp)
        {
            AnsiConsole.MarkupLineInterpolated($"swung up after {toSwingUp:F1} s of plant time (excitation and attempts before, then the successful attempt's time to upright); {rounds[^1].PlantSeconds:F0} s in all");
        }

        AnsiConsole.MarkupLineInterpolated($"outputs: [blue]{Path.GetFullPath(directory)}[/] (learn.json, round-N/)");
    }
}
