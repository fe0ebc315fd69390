using System;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmbeddedMpc.HostSim.Identification;

/// <summary>
/// The outputs of `identify`, written together or not at all (staged beside the output directory, as
/// <see cref="Output.RunOutputWriter"/> does): identify.json (estimates, standard errors, what was
/// known, held-out prediction errors, warnings), the profile as JSON for `run --profile-file`, and
/// the profile as C# source for the firmware.
/// </summary>
public static class IdentificationReport
{
    /// <summary>The report.</summary>
    public const string ReportFileName = "identify.json";

    /// <summary>The profile for `run --profile-file` / `--model-file`.</summary>
    public const string ProfileFileName = "identified-profile.json";

    /// <summary>The profile as firmware source.</summary>
    public const string SourceFileName = ProfileSourceGenerator.DefaultClassName + ".cs";

    /// <summary>The files `identify` writes.</summary>
    public static readonly string[] FileNames = [ReportFileName, ProfileFileName, SourceFileName];

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>identify.json's content.</summary>
    public static string ToJson(IdentificationResult result) => JsonSerializer.Serialize(new
    {
        result.Logs,
        result.FitSamples,
        result.HeldOutSamples,
        usableSeconds = result.FitSeconds,
        result.ConditionNumber,
        method = "modulating-function least squares on the equations of motion; standard errors by moving-block bootstrap (2 s blocks)",
        result.Estimates,
        result.Known,
        heldOut = result.HeldOut,
        heldOutHorizonTicks = HeldOutEvaluation.MultiStepTicks,
        result.Warnings,
        profile = result.Profile.Name,
    }, Options);

    /// <summary>Writes all outputs into <paramref name="directory"/> (created if missing).</summary>
    /// <exception cref="IOException">The directory cannot be created or written.</exception>
    public static void Write(IdentificationResult result, string directory)
    {
        using Output.StagedOutput output = Output.StagedOutput.Begin(directory);
        var utf8 = new UTF8Encoding(false);
        File.WriteAllText(output.PathOf(ReportFileName), ToJson(result) + "\n", utf8);
        RigProfileFile.Write(result.Profile, output.PathOf(ProfileFileName));
        File.WriteAllText(output.PathOf(SourceFileName), ProfileSourceGenerator.Generate(result.Profile), utf8);
        output.Commit(FileNames);
    }
}
