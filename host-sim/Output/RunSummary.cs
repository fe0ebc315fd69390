using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using EmbeddedMpc.HostSim.Hil;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Output;

/// <summary>
/// The machine-readable summary of one run, written as summary.json (camelCase), its figures rounded to
/// what they resolve (<see cref="Round"/>). A hardware-in-the-loop
/// run adds "hil" (<see cref="HilReport"/>) and has a null allocatedBytesPerTick (its control tick runs
/// on the device, where the host cannot count allocations). "settings" holds the options that repeat the
/// run (`run --config summary.json`, <see cref="Cli.ConfigFile"/>).
/// </summary>
public sealed record RunSummary(
    string Task,
    string Planner,
    string Profile,
    uint Seed,
    bool Success,
    double? TimeToUprightSeconds,
    double DmControlReturn,
    double MaxAbsCartPositionMeters,
    bool LeftTrack,
    double ModelStepsPerTick,
    int ModelStepsPerTickMax,
    double PlanningMicrosecondsMedian,
    double PlanningMicrosecondsP99,
    int PlanningOverruns,
    int LongestOverrunStreak,
    double? AllocatedBytesPerTick,
    double ControlEffort,
    double DurationSeconds,
    double ControlPeriodSeconds,
    double Mismatch,
    int Samples,
    int HorizonSteps,
    int Iterations,
    int Elites,
    int Knots,
    double ModelStepSeconds,
    bool StartedHomed,
    double HomingSeconds,
    string[] Modes,
    string Fault,
    int Particles,
    double ParticleSpread,
    double ProcessNoise,
    bool OpenLoop,
    double? PushAtSeconds,
    double PushRadiansPerSecond,
    string? ProfileFile,
    string? ModelFile,
    string Plant,
    string Reality,
    int DeclinedCatches,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SortedDictionary<string, object>? Settings = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HilReport? Hil = null)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The summary of <paramref name="run"/>.</summary>
    public static RunSummary From(RunResult run)
    {
        RunSettings s = run.Settings;
        RunMetrics m = run.Metrics;
        return new RunSummary(
            RunSettings.TaskName(s.Task),
            s.Planner,
            s.ProfileName,
            s.Seed,
            m.Success,
            m.TimeToUprightSeconds is double upright ? Round(upright, 2) : null,
            Round(m.DmControlReturn, 1),
            Round(m.MaxAbsCartPositionMeters, 4),
            m.LeftTrack,
            Round(m.ModelStepsPerTick, 1),
            m.ModelStepsPerTickMax,
            Round(m.PlanningMicrosecondsMedian, 0),
            Round(m.PlanningMicrosecondsP99, 0),
            m.PlanningOverruns,
            m.LongestOverrunStreak,
            double.IsNaN(m.AllocatedBytesPerTick) ? null : Round(m.AllocatedBytesPerTick, 1),
            Round(m.ControlEffort, 4),
            s.DurationSeconds,
            Round(run.Profile.ControlPeriodSeconds, 6),
            s.Mismatch,
            run.Planner.Samples,
            run.Planner.HorizonSteps,
            run.Planner.Iterations,
            run.Planner.Elites,
            run.Planner.Knots,
            Round(run.Planner.ModelStepSeconds, 6),
            s.ResolveStartHomed(run.Profile),
            Round(m.HomingSeconds, 3),
            Array.ConvertAll(run.Modes, ModeNames.Of),
            ModeNames.Of(m.Fault),
            run.Planner.Particles,
            s.ParticleSpread,
            s.ProcessNoise,
            s.OpenLoop,
            s.PushAtSeconds,
            Round(s.PushRadiansPerSecond, 6),
            s.ProfileFile,
            s.ModelFile,
            Plants.PlantNames.Of(s.Plant),
            Plants.PlantNames.Of(s.Reality),
            m.DeclinedCatches,
            Cli.RunOptions.ToConfig(s),
            run.Hil);
    }

    /// <summary>
    /// <paramref name="value"/> to <paramref name="decimals"/> places: the figures mean no more (times on a
    /// 10 ms grid, microseconds of a Stopwatch, floats of the Core widened to double), so the JSON shows 1.77, not
    /// 1.7699999606609345.
    /// </summary>
    private static double Round(double value, int decimals) => double.IsFinite(value) ? Math.Round(value, decimals) : value;

    /// <summary>The summary as indented camelCase JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads a summary written by <see cref="ToJson"/>.</summary>
    public static RunSummary? FromJson(string json) => JsonSerializer.Deserialize<RunSummary>(json, Options);
}
