using System;
using System.Collections.Generic;
using System.CommandLine;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Cli;

/// <summary>The options that define a closed-loop run, shared by `run` and `hil` (same names, defaults and meaning).</summary>
public sealed class RunOptions
{
    /// <param name="defaultOutput">How the command names its output directory when --out is not given.</param>
    /// <param name="defaultPlanner">The planner when --planner is not given (<see cref="RunSettings.DefaultPlanner"/>, or for hil <see cref="RunSettings.HilDefaultPlanner"/>).</param>
    public RunOptions(string defaultOutput = "runs/<task>-<planner>-<profile>-seed<N>", string defaultPlanner = RunSettings.DefaultPlanner)
    {
        Output = new("--out") { Description = $"Output directory (default: {defaultOutput})." };
        Planner.DefaultValueFactory = _ => defaultPlanner;
        Task.AcceptOnlyFromAmong(RunSettings.TaskNames);
        Planner.AcceptOnlyFromAmong(PlannerCatalog.Names);
        Profile.AcceptOnlyFromAmong(RigProfiles.AllNames.Split(", "));
        Plant.AcceptOnlyFromAmong(Plants.PlantNames.Plants);
        Reality.AcceptOnlyFromAmong(Plants.PlantNames.Realities);
        Samples.Description = PlannerHelp.Samples;
        Horizon.Description = PlannerHelp.Horizon;
        Iterations.Description = PlannerHelp.Iterations;
        Elites.Description = PlannerHelp.Elites;
    }

    public Option<string> Plant { get; } = new("--plant") { Description = "Physics of the simulated rig: equations (the project's own), mujoco (MuJoCo 2.2.2 through libmujoco; dm-control profile).", DefaultValueFactory = _ => "equations" };

    public Option<string> Reality { get; } = new("--reality") { Description = "Effects the planner's model leaves out, sized per seed (see host-sim/Plants/README.md): ideal, typical, harsh.", DefaultValueFactory = _ => "ideal" };

    public Option<string> Task { get; } = new("--task") { Description = "swingup: start hanging and swing up; balance: start at 0.2 rad and balance; excite: shake the hanging pole for identification (no planner).", DefaultValueFactory = _ => "swingup" };

    public Option<string> Planner { get; } = new("--planner") { Description = "Planner: " + string.Join(", ", PlannerCatalog.Names) + " (see README).", DefaultValueFactory = _ => RunSettings.DefaultPlanner };

    public Option<string> Profile { get; } = new("--profile") { Description = $"Rig profile: {RigProfiles.AllNames}.", DefaultValueFactory = _ => RigProfiles.Esp32RigName };

    public Option<uint> Seed { get; } = new("--seed") { Description = "Seed of the start state, the planner's samples and the model mismatch.", DefaultValueFactory = _ => 1u };

    public Option<double> Duration { get; } = new("--duration") { Description = "Simulated time in seconds, [0.1, 3600].", DefaultValueFactory = _ => 10.0 };

    public Option<string?> Output { get; }

    public Option<int?> Samples { get; } = new("--samples");

    public Option<int?> Horizon { get; } = new("--horizon");

    public Option<int?> Iterations { get; } = new("--iterations");

    public Option<int?> Elites { get; } = new("--elites");

    public Option<double> Mismatch { get; } = new("--mismatch") { Description = "Scale each of the planner's model parameters by a seeded factor in [1-m, 1+m], m in [0, 0.9].", DefaultValueFactory = _ => 0.0 };

    public Option<int?> Particles { get; } = new("--particles") { Description = "Expected-return planning: score each plan by its mean cost over this many rollouts, the nominal model and models drawn within +/-spread, [1, 32] (sampling planners; default 1, icem-robust 3)." };

    public Option<double> ParticleSpread { get; } = new("--particle-spread") { Description = "Relative spread of the particles' model parameters, [0, 0.9].", DefaultValueFactory = _ => PlannerCatalog.DefaultParticleSpread };

    public Option<double> ProcessNoise { get; } = new("--process-noise") { Description = "Process noise in the particles' rollouts: std of a random cart acceleration in m/s² (the pole's centre of mass gets the same), [0, 50].", DefaultValueFactory = _ => 0.0 };

    public Option<bool> OpenLoop { get; } = new("--open-loop") { Description = "Plan the whole run once before the first tick and play it blindly, instead of re-planning every tick (needs --homed; implied for dm-control)." };

    public Option<bool> NoCatchCheck { get; } = new("--no-catch-check") { Description = "Hand over to the balance LQR on the pole's angle and speed alone, without the planner's catch check (icem-esp32, icem-esp32-adapt)." };

    public Option<double?> PushAt { get; } = new("--push-at") { Description = "Push the pole at this task time in seconds (a disturbance; default none)." };

    public Option<float> Push { get; } = new("--push") { Description = "Size of the push: change of the pole's angular velocity, rad/s, [-20, 20].", DefaultValueFactory = _ => RunSettings.DefaultPushRadiansPerSecond };

    public Option<int> Delay { get; } = new("--delay-ticks") { Description = "Control periods between the controller setting a duty and the drive applying it, [0, 5].", DefaultValueFactory = _ => 0 };

    public Option<bool> Homed { get; } = new("--homed") { Description = "Start from a homed, calibrated rig instead of powering on and homing (implied for balance and for profiles without limit switches)." };

    public Option<double?> InitialAngle { get; } = new("--initial-angle") { Description = "Initial pole angle in radians, 0 upright (default: pi for swingup, 0.2 for balance)." };

    public Option<string?> ProfileFile { get; } = new("--profile-file") { Description = "A rig profile file (JSON, as `identify` writes it) for the plant and the controller, instead of --profile." };

    public Option<string?> ModelFile { get; } = new("--model-file") { Description = "A rig profile file the controller believes in (planner model, deadband compensation), while the plant stays --profile / --profile-file." };

    /// <summary>Adds --profile-file and --model-file (`run` has them, `hil` does not: the device cannot load a file).</summary>
    public void AddProfileFilesTo(Command command)
    {
        command.Options.Add(ProfileFile);
        command.Options.Add(ModelFile);
    }

    /// <summary>Adds --plant and --reality (`run` and `open-loop` have them; `hil` drives its own simulated rig).</summary>
    public void AddPlantOptionsTo(Command command)
    {
        command.Options.Add(Plant);
        command.Options.Add(Reality);
    }

    /// <summary>
    /// The message for a command line that gives both --profile and --profile-file (the file would win
    /// silently), or null when it gives at most one of them.
    /// </summary>
    public string? ConflictingProfileOptions(ParseResult parse) =>
        CliErrors.BothGiven(parse, Profile, ProfileFile, "a built-in profile or a profile file for the plant and the controller");

    /// <summary>Adds the options to <paramref name="command"/>, in the order `run --help` lists them.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Task, Planner, Profile, Seed, Duration, Output, Samples, Horizon, Iterations, Elites, Particles, ParticleSpread, ProcessNoise, Mismatch, Delay, OpenLoop, NoCatchCheck, PushAt, Push, Homed, InitialAngle })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The run the parsed options describe (not validated yet).</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="withProfileFiles">True when the command has the options of <see cref="AddProfileFilesTo"/>.</param>
    public RunSettings ToSettings(ParseResult parse, bool withProfileFiles = false) => new()
    {
        ProfileFile = withProfileFiles ? parse.GetValue(ProfileFile) : null,
        ModelFile = withProfileFiles ? parse.GetValue(ModelFile) : null,
        Task = RunSettings.ParseTask(parse.GetValue(Task)!),
        Planner = parse.GetValue(Planner)!,
        ProfileName = withProfileFiles && parse.GetValue(ProfileFile) is string file ? System.IO.Path.GetFileNameWithoutExtension(file) : parse.GetValue(Profile)!,
        Seed = parse.GetValue(Seed),
        DurationSeconds = parse.GetValue(Duration),
        Samples = parse.GetValue(Samples),
        Horizon = parse.GetValue(Horizon),
        Iterations = parse.GetValue(Iterations),
        Elites = parse.GetValue(Elites),
        Particles = parse.GetValue(Particles),
        ParticleSpread = parse.GetValue(ParticleSpread),
        ProcessNoise = parse.GetValue(ProcessNoise),
        Mismatch = parse.GetValue(Mismatch),
        InitialAngleRadians = parse.GetValue(InitialAngle),
        StartHomed = parse.GetValue(Homed) ? true : null,
        ActuationDelayTicks = parse.GetValue(Delay),
        OpenLoop = parse.GetValue(OpenLoop),
        NoCatchCheck = parse.GetValue(NoCatchCheck),
        PushAtSeconds = parse.GetValue(PushAt),
        PushRadiansPerSecond = parse.GetValue(Push),
        Plant = parse.GetResult(Plant) is null ? Plants.PlantKind.Equations : Plants.PlantNames.ParsePlant(parse.GetValue(Plant)!),
        Reality = parse.GetResult(Reality) is null ? Plants.RealityLevel.Ideal : Plants.PlantNames.ParseReality(parse.GetValue(Reality)!),
    };

    /// <summary>
    /// The options that repeat <paramref name="settings"/>, keyed as `--config` reads them (summary.json's
    /// "settings"): only what the run was given, so a planner's defaults stay its own.
    /// </summary>
    public static SortedDictionary<string, object> ToConfig(RunSettings settings)
    {
        var options = new RunOptions();
        var config = new SortedDictionary<string, object>(StringComparer.Ordinal);
        void Put(Option option, object? value)
        {
            if (value is not null)
            {
                config[ConfigFile.KeyOf(option.Name)] = value;
            }
        }

        Put(options.Task, RunSettings.TaskName(settings.Task));
        Put(options.Planner, settings.Planner);
        Put(settings.ProfileFile is null ? options.Profile : (Option)options.ProfileFile, settings.ProfileFile ?? settings.ProfileName);
        Put(options.ModelFile, settings.ModelFile);
        Put(options.Seed, settings.Seed);
        Put(options.Duration, settings.DurationSeconds);
        Put(options.Samples, settings.Samples);
        Put(options.Horizon, settings.Horizon);
        Put(options.Iterations, settings.Iterations);
        Put(options.Elites, settings.Elites);
        Put(options.Particles, settings.Particles);
        Put(options.ParticleSpread, settings.ParticleSpread);
        Put(options.ProcessNoise, settings.ProcessNoise);
        Put(options.Mismatch, settings.Mismatch);
        Put(options.Delay, settings.ActuationDelayTicks);
        Put(options.OpenLoop, settings.OpenLoop ? true : null);
        Put(options.NoCatchCheck, settings.NoCatchCheck ? true : null);
        Put(options.PushAt, settings.PushAtSeconds);
        Put(options.Push, settings.PushRadiansPerSecond);
        Put(options.Homed, settings.StartHomed == true ? true : null);
        Put(options.InitialAngle, settings.InitialAngleRadians);
        Put(options.Plant, settings.Plant == Plants.PlantKind.Equations ? null : Plants.PlantNames.Of(settings.Plant));
        Put(options.Reality, settings.Reality == Plants.RealityLevel.Ideal ? null : Plants.PlantNames.Of(settings.Reality));
        return config;
    }
}
