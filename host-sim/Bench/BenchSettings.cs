using System;
using System.Linq;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Plants;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Bench;

/// <summary>
/// The matrix a bench runs: planners x tasks x profiles x realities x mismatches x actuation delays,
/// each over the same seeds, on one plant.
/// </summary>
public sealed class BenchSettings
{
    public string[] Planners { get; init; } = PlannerCatalog.Names;

    public ControlTask[] Tasks { get; init; } = [ControlTask.SwingUp];

    public string[] Profiles { get; init; } = [RigProfiles.DmControlName, RigProfiles.Esp32RigName];

    public int Seeds { get; init; } = 20;

    public uint FirstSeed { get; init; } = 1;

    public double DurationSeconds { get; init; } = 10;

    /// <summary>Planner model mismatches to run, each in [0, 0.9].</summary>
    public double[] Mismatches { get; init; } = [0.0];

    /// <summary>Actuation delays to run, control periods, each in [0, 5].</summary>
    public int[] ActuationDelays { get; init; } = [0];

    /// <summary>The physics every run drives.</summary>
    public PlantKind Plant { get; init; } = PlantKind.Equations;

    /// <summary>Expected-return particles of every run (<see cref="RunSettings.Particles"/>); null for each planner's default.</summary>
    public int? Particles { get; init; }

    /// <summary>Process noise of the particles' rollouts, m/s² (<see cref="RunSettings.ProcessNoise"/>).</summary>
    public double ProcessNoise { get; init; }

    /// <summary>Every run without its planner's catch check (<see cref="RunSettings.NoCatchCheck"/>).</summary>
    public bool NoCatchCheck { get; init; }

    /// <summary>Reality effects kept, the others off (<see cref="RunSettings.RealityEffectsKept"/>); null for all.</summary>
    public string[]? RealityEffectsKept { get; init; }

    /// <summary>Reality levels to run (<see cref="RealityEffects"/>).</summary>
    public RealityLevel[] Realities { get; init; } = [RealityLevel.Ideal];

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

        if (Planners.Length == 0 || Profiles.Length == 0 || Tasks.Length == 0 || Mismatches.Length == 0 || ActuationDelays.Length == 0 || Realities.Length == 0)
        {
            throw new ArgumentException("--planners, --profiles, --tasks, --mismatch, --delay-ticks and --reality must each name at least one entry.");
        }

        if (Seeds < 1 || Seeds > 10000)
        {
            throw new ArgumentException($"--seeds must be in [1, 10000]; got {Seeds}.");
        }

        if (Parallelism < 1 || Parallelism > 256)
        {
            throw new ArgumentException($"--parallel must be in [1, 256]; got {Parallelism}.");
        }

        // Each cell's run settings validate the rest (duration, mismatch, delay, plant and reality).
        foreach (RunSettings run in Cells(FirstSeed))
        {
            run.Validate();
        }
    }

    /// <summary>The settings of every cell of the matrix with <paramref name="seed"/>, in the order of the report.</summary>
    public RunSettings[] Cells(uint seed) =>
        (from planner in Planners
         from task in Tasks
         from profile in Profiles
         from reality in Realities
         from mismatch in Mismatches
         from delay in ActuationDelays
         select new RunSettings
         {
             Planner = planner,
             Task = task,
             ProfileName = profile,
             Seed = seed,
             DurationSeconds = DurationSeconds,
             Mismatch = mismatch,
             ActuationDelayTicks = delay,
             StartHomed = StartHomed ? true : null,
             Plant = Plant,
             Reality = reality,
             RealityEffectsKept = RealityEffectsKept,
             Particles = Particles,
             ProcessNoise = ProcessNoise,
             NoCatchCheck = NoCatchCheck,
         }).ToArray();

    /// <summary>Number of runs in the matrix.</summary>
    public int RunCount => Planners.Length * Tasks.Length * Profiles.Length * Realities.Length * Mismatches.Length * ActuationDelays.Length * Seeds;
}
