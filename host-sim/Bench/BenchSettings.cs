using System;
using System.Linq;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Bench;

/// <summary>The matrix a bench runs: planners x tasks x profiles, each over the same seeds.</summary>
public sealed class BenchSettings
{
    public string[] Planners { get; init; } = PlannerCatalog.Names;

    public ControlTask[] Tasks { get; init; } = [ControlTask.SwingUp];

    public string[] Profiles { get; init; } = [RigProfiles.DmControlName, RigProfiles.Esp32RigName];

    public int Seeds { get; init; } = 20;

    public uint FirstSeed { get; init; } = 1;

    public double DurationSeconds { get; init; } = 10;

    public double Mismatch { get; init; }

    public int ActuationDelayTicks { get; init; }

    /// <summary>Start every run homed (the dm_control protocol); false lets the esp32 rig home first as on the bench.</summary>
    public bool StartHomed { get; init; } = true;

    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The small matrix of `bench --quick`: the default planner, vanilla CEM with PETS's budget, the baseline and the two budget planners, 5 seeds; under a minute on two cores.</summary>
    public static BenchSettings Quick() => new()
    {
        Planners = ["cem", "cem-pets", "energy-lqr", "icem-dm", "mppi"],
        Profiles = [RigProfiles.DmControlName, RigProfiles.Esp32RigName],
        Seeds = 5,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        foreach (string planner in Planners)
        {
            PlannerCatalog.Find(planner);
        }

        foreach (string profile in Profiles)
        {
            _ = RigProfiles.FindByName(profile) ?? throw new ArgumentException($"Unknown profile '{profile}'; accepted: {RigProfiles.AllNames}.");
        }

        if (Planners.Length == 0 || Profiles.Length == 0 || Tasks.Length == 0)
        {
            throw new ArgumentException("--planners, --profiles and --tasks must each name at least one entry.");
        }

        if (Seeds < 1 || Seeds > 10000)
        {
            throw new ArgumentException($"--seeds must be in [1, 10000]; got {Seeds}.");
        }

        if (Parallelism < 1 || Parallelism > 256)
        {
            throw new ArgumentException($"--parallel must be in [1, 256]; got {Parallelism}.");
        }

        // Each cell's run settings validate the rest (duration, mismatch, delay).
        foreach (var run in Planners.SelectMany(p => Tasks.SelectMany(t => Profiles.Select(f => RunSettingsFor(p, t, f, FirstSeed)))))
        {
            run.Validate();
        }
    }

    /// <summary>The settings of one run of the matrix.</summary>
    public RunSettings RunSettingsFor(string planner, ControlTask task, string profile, uint seed) => new()
    {
        Planner = planner,
        Task = task,
        ProfileName = profile,
        Seed = seed,
        DurationSeconds = DurationSeconds,
        Mismatch = Mismatch,
        ActuationDelayTicks = ActuationDelayTicks,
        StartHomed = StartHomed ? true : null,
    };
}
