using System;
using System.CommandLine;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Identification;
using EmbeddedMpc.HostSim.Output;
using Spectre.Console;

namespace EmbeddedMpc.HostSim.Cli;

/// <summary>The `identify` command: fit the rig's parameters to one or more log.csv files.</summary>
public static class IdentifyCommand
{
    public static Command Create()
    {
        var logs = new Argument<string[]>("logs") { Description = "log.csv files of `run`, `hil` or the rig (rows in mode swingup/balance are used).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Output directory for identify.json, identified-profile.json and IdentifiedRigProfile.cs.", DefaultValueFactory = _ => Path.Combine("runs", "identify") };
        var prior = new Option<string>("--prior") { Description = $"Built-in profile that supplies the known stall force, back-EMF, pole mass, track and encoders: {RigProfiles.AllNames}.", DefaultValueFactory = _ => RigProfiles.Esp32RigName };
        prior.AcceptOnlyFromAmong(RigProfiles.AllNames.Split(", "));
        var priorFile = new Option<string?>("--prior-file") { Description = "A profile file (JSON) to use as the prior instead of --prior." };
        var poleMass = new Option<double?>("--pole-mass") { Description = "The pole's weighed mass, kg (default: the prior's)." };
        var holdOut = new Option<double>("--holdout") { Description = "Fraction of each log's usable rows, at its end, held out to measure prediction error, [0, 0.5].", DefaultValueFactory = _ => 0.2 };
        var window = new Option<int>("--window") { Description = "Half-width of the modulating function (the low-pass filter), control periods, [10, 50]; narrower windows let encoder noise into the regressors and bias m l, J and b_p low.", DefaultValueFactory = _ => 12 };
        var deadband = new Option<double?>("--deadband") { Description = "The drive's dead zone, duty, when measured apart, [0, 0.45] (default: fitted; fitted together with the cart's Coulomb friction, it takes part of it)." };
        var pivotFriction = new Option<bool>("--pivot-friction") { Description = "Also fit the pivot's Coulomb torque (off: it shares a direction of the data with the pivot damping; the prior's is kept)." };
        var name = new Option<string?>("--name") { Description = "Name of the identified profile (default: <prior>-identified)." };
        var command = new Command("identify", "Fit the cart-pole's parameters to logs by least squares; write the profile as JSON and as firmware C#.");
        command.Arguments.Add(logs);
        foreach (Option option in new Option[] { output, prior, priorFile, poleMass, holdOut, window, deadband, pivotFriction, name })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            string directory = parse.GetValue(output)!;
            if (CliErrors.BothGiven(parse, prior, priorFile, "a built-in prior or a prior profile file") is string conflict)
            {
                return CliErrors.Report(conflict);
            }

            IdentificationResult result;
            try
            {
                double fraction = parse.GetValue(holdOut);
                if (!(fraction >= 0 && fraction <= 0.5))
                {
                    throw new ArgumentException($"--holdout must be in [0, 0.5]; got {fraction.ToString(CultureInfo.InvariantCulture)}.");
                }

                int halfWidth = parse.GetValue(window);
                if (halfWidth < 10 || halfWidth > 50)
                {
                    throw new ArgumentException($"--window must be in [10, 50] control periods; got {halfWidth}.");
                }

                double? mass = parse.GetValue(poleMass);
                if (mass is double m && !(m > 0 && m <= 100))
                {
                    throw new ArgumentException($"--pole-mass must be in (0, 100] kg; got {m.ToString(CultureInfo.InvariantCulture)}.");
                }

                double? knownDeadband = parse.GetValue(deadband);
                if (knownDeadband is double d && !(d >= 0 && d <= 0.45))
                {
                    throw new ArgumentException($"--deadband must be in [0, 0.45] duty; got {d.ToString(CultureInfo.InvariantCulture)}.");
                }

                StagedOutput.RequireWritable(parse.GetValue(output)!);
                string? file = parse.GetValue(priorFile);
                RigProfile priorProfile = file is not null ? RigProfileFile.Read(file) : RigProfiles.FindByName(parse.GetValue(prior)!)!;
                var read = new List<IdentificationLog>();
                foreach (string path in parse.GetValue(logs)!)
                {
                    read.Add(IdentificationLog.Read(path));
                }

                result = SystemIdentifier.Identify(read, new IdentificationSettings
                {
                    Prior = priorProfile,
                    PoleMassKilograms = mass,
                    HoldOutFraction = fraction,
                    WindowHalfWidth = halfWidth,
                    KnownDeadbandDuty = knownDeadband,
                    FitPivotCoulomb = parse.GetValue(pivotFriction),
                    ProfileName = parse.GetValue(name),
                });
            }
            catch (ArgumentException error)
            {
                return CliErrors.Report(error.Message);
            }

            try
            {
                IdentificationReport.Write(result, directory);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                return CliErrors.Report($"cannot write the outputs to '{directory}': {error.Message}");
            }

            Print(result, directory);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Prints the estimates, the held-out errors and the warnings.</summary>
    public static void Print(IdentificationResult result, string directory)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("parameter").AddColumn(new TableColumn("estimate ± s.e.").RightAligned())
            .AddColumn(new TableColumn("nominal").RightAligned()).AddColumn("how");
        table.Title = new TableTitle($"identified from {result.Logs.Count} log(s), {result.FitSamples} windows, condition number {result.ConditionNumber:G3}");
        foreach (ParameterEstimate e in result.Estimates)
        {
            // A value whose standard error exceeds half of it (IdentificationSettings.UnidentifiableRelativeError)
            // says nothing: print that instead of the number; the profile keeps the prior's value.
            string estimate = e.Identified
                ? $"{e.Value:G4} ± {e.StandardError:G2} {e.Unit}"
                : $"not identifiable (s.e. {e.StandardError:G2} {e.Unit})";
            string how = e.Identified ? e.Identifiability : "not identifiable from these logs: the profile keeps the nominal value";
            table.AddRow(Markup.Escape(e.Label), Markup.Escape(estimate), Markup.Escape($"{e.Nominal:G4}"), Markup.Escape(how));
        }

        foreach (ParameterEstimate e in result.Known)
        {
            table.AddRow(Markup.Escape(e.Label), Markup.Escape($"{e.Value:G4} {e.Unit}"), Markup.Escape($"{e.Nominal:G4}"), Markup.Escape(e.Identifiability));
        }

        AnsiConsole.Write(table);
        if (result.HeldOut.Count > 0)
        {
            var errors = new Table().Border(TableBorder.Rounded).AddColumn("model").AddColumn(new TableColumn("one step x / θ").RightAligned())
                .AddColumn(new TableColumn($"{HeldOutEvaluation.MultiStepTicks} steps x / θ").RightAligned());
            errors.Title = new TableTitle($"open-loop prediction error (RMS) on the held-out {result.HeldOutSamples} samples");
            foreach (PredictionError e in result.HeldOut)
            {
                errors.AddRow(e.Model, $"{e.OneStepCartMillimeters:F2} mm / {e.OneStepPoleMilliradians:F2} mrad", $"{e.MultiStepCartMillimeters:F1} mm / {e.MultiStepPoleMilliradians:F1} mrad");
            }

            AnsiConsole.Write(errors);
        }

        foreach (string warning in result.Warnings)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
        }

        AnsiConsole.MarkupLineInterpolated($"outputs: [blue]{Path.GetFullPath(directory)}[/] ({string.Join(", ", IdentificationReport.FileNames)})");
    }
}
