using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace EmbeddedMpc.HostSim.Bench;

/// <summary>bench.md (a Markdown table) and bench.json (the cells and the matrix), written together or not at all.</summary>
public static class BenchReport
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public static string Markdown(BenchSettings settings, BenchCell[] cells)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Seeds {settings.FirstSeed}..{settings.FirstSeed + (uint)settings.Seeds - 1}, {settings.DurationSeconds:0.#} s per run, plant {Plants.PlantNames.Of(settings.Plant)}{(settings.RealityEffectsKept is string[] kept ? $" with only {string.Join(", ", kept)} of the reality effects" : "")}{(settings.Particles is int n ? $", {n} particles, process noise {settings.ProcessNoise} m/s²" : "")}, {(settings.StartHomed ? "started homed" : "homing first")}{(settings.NoCatchCheck ? ", without the catch check" : "")}.");
        text.AppendLine();
        text.AppendLine("| planner | task | profile | reality | mismatch | delay | success | time to upright median / p90 (s) | dm_control return mean ± sd | effort | model steps per tick mean / max | planning µs median / p99 | bytes per tick |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (BenchCell c in cells)
        {
            string upright = c.TimeToUprightMedianSeconds is double m ? $"{m:F2} / {c.TimeToUprightP90Seconds:F2}" : "never";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {c.Planner} | {c.Task} | {c.Profile} | {c.Reality} | ±{c.Mismatch * 100:0} % | {c.ActuationDelayTicks} | {c.SuccessRate * 100:0} % | {upright} | {c.DmControlReturnMean:F0} ± {c.DmControlReturnStandardDeviation:F0} | {c.ControlEffortMean:F3} | {c.ModelStepsPerTickMean:F0} / {c.ModelStepsPerTickMax} | {c.PlanningMicrosecondsMedian:F0} / {c.PlanningMicrosecondsP99:F0} | {c.AllocatedBytesPerTickMax:F0} |");
        }

        return text.ToString();
    }

    /// <summary>Writes bench.md and bench.json into <paramref name="directory"/> (created if missing), both or neither.</summary>
    /// <param name="note">A line above the table (e.g. that the bench was interrupted), or null.</param>
    public static void Write(BenchSettings settings, BenchCell[] cells, string directory, string? note = null)
    {
        using Output.StagedOutput output = Output.StagedOutput.Begin(directory);
        File.WriteAllText(output.PathOf("bench.md"), (note is null ? "" : note + "\n\n") + Markdown(settings, cells), new UTF8Encoding(false));
        var document = new
        {
            planners = settings.Planners,
            tasks = settings.Tasks.Select(Simulation.RunSettings.TaskName).ToArray(),
            profiles = settings.Profiles,
            seeds = settings.Seeds,
            firstSeed = settings.FirstSeed,
            durationSeconds = settings.DurationSeconds,
            plant = Plants.PlantNames.Of(settings.Plant),
            realities = settings.Realities.Select(Plants.PlantNames.Of).ToArray(),
            mismatches = settings.Mismatches,
            actuationDelays = settings.ActuationDelays,
            realityEffectsKept = settings.RealityEffectsKept,
            particles = settings.Particles,
            processNoise = settings.ProcessNoise,
            noCatchCheck = settings.NoCatchCheck,
            startHomed = settings.StartHomed,
            note,
            cells,
        };
        File.WriteAllText(output.PathOf("bench.json"), JsonSerializer.Serialize(document, Json) + "\n", new UTF8Encoding(false));
        output.Commit(["bench.md", "bench.json"]);
    }
}
