using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using EmbeddedMpc.HostSim.Hil;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Output;

/// <summary>
/// The machine-readable summary of one run, written as summary.json (camelCase). A hardware-in-the-loop
/// run adds "hil" (<see cref="HilReport"/>) and has a null allocatedBytesPerTick (its control tick runs
/// on the device, where the host cannot count allocations).
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
            m.TimeToUprightSeconds,
            m.DmControlReturn,
            m.MaxAbsCartPositionMeters,
            m.LeftTrack,
            m.ModelStepsPerTick,
            m.ModelStepsPerTickMax,
            m.PlanningMicrosecondsMedian,
            m.PlanningMicrosecondsP99,
            m.PlanningOverruns,
            m.LongestOverrunStreak,
            double.IsNaN(m.AllocatedBytesPerTick) ? null : m.AllocatedBytesPerTick,
            m.ControlEffort,
            s.DurationSeconds,
            run.Profile.ControlPeriodSeconds,
            s.Mismatch,
            run.Planner.Samples,
            run.Planner.HorizonSteps,
            run.Planner.Iterations,
            run.Planner.Elites,
            run.Planner.Knots,
            run.Planner.ModelStepSeconds,
            s.ResolveStartHomed(run.Profile),
            m.HomingSeconds,
            Array.ConvertAll(run.Modes, ModeNames.Of),
            ModeNames.Of(m.Fault),
            run.Planner.Particles,
            s.ParticleSpread,
            s.ProcessNoise,
            s.OpenLoop,
            s.PushAtSeconds,
            s.PushRadiansPerSecond,
            s.ProfileFile,
            s.ModelFile,
            Plants.PlantNames.Of(s.Plant),
            Plants.PlantNames.Of(s.Reality),
            run.Hil);
    }

    /// <summary>The summary as indented camelCase JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads a summary written by <see cref="ToJson"/>.</summary>
    public static RunSummary? FromJson(string json) => JsonSerializer.Deserialize<RunSummary>(json, Options);
}
