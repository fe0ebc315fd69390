using System;
using System.Linq;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Plants;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>The task a run performs.</summary>
public enum ControlTask
{
    /// <summary>Start hanging down (theta = pi), swing up and balance.</summary>
    SwingUp,

    /// <summary>Start near upright (theta = 0.2 rad) and balance.</summary>
    Balance,

    /// <summary>
    /// Start hanging and shake the rig for system identification: a PD loop tracks a multisine cart
    /// position reference (<see cref="ExcitationStack"/>); no planner runs.
    /// </summary>
    Excite,
}

/// <summary>Everything that defines one closed-loop run; validated by <see cref="Validate"/>.</summary>
public sealed record RunSettings
{
    /// <summary>Accepted task names on the command line.</summary>
    public static readonly string[] TaskNames = ["swingup", "balance", "excite"];

    public ControlTask Task { get; init; } = ControlTask.SwingUp;

    /// <summary>
    /// The planner of a run that names none: the one definition `run`, `hil`, the help and the README's
    /// front page use (a test holds the README to it). It is the planner the firmware runs on the rig
    /// (icem-esp32-adapt: icem-esp32, sized for the ESP32's planning budget by the interpreter cost measure, with
    /// its model adapting online; its largest tick stays within 90 % of that budget; a test holds the firmware to it).
    /// </summary>
    public const string DefaultPlanner = "icem-esp32-adapt";

    /// <summary>
    /// The planner of a `hil` run and of the virtual `device` that name none: the CEM the firmware runs in
    /// HIL mode (cem-lqr-esp32; the protocol's Configuration carries CEM sizes and no planner kind, so
    /// HIL mode plans with CEM whatever the rig runs; a test holds the firmware to it).
    /// </summary>
    public const string HilDefaultPlanner = "cem-lqr-esp32";

    /// <summary>A name from <see cref="PlannerCatalog"/>.</summary>
    public string Planner { get; init; } = DefaultPlanner;

    public string ProfileName { get; init; } = RigProfiles.Esp32RigName;

    public uint Seed { get; init; } = 1;

    public double DurationSeconds { get; init; } = 10.0;

    /// <summary>Samples per iteration; null for the planner's default.</summary>
    public int? Samples { get; init; }

    /// <summary>Horizon in control periods; null for the planner's default.</summary>
    public int? Horizon { get; init; }

    /// <summary>CEM iterations per tick; null for the default. Ignored by random shooting.</summary>
    public int? Iterations { get; init; }

    /// <summary>CEM elites per iteration; null for the default (4, or half the samples if fewer). Ignored by random shooting.</summary>
    public int? Elites { get; init; }

    /// <summary>Largest relative error of the planner's model parameters, [0, 0.9]; 0 = the planner knows the plant.</summary>
    public double Mismatch { get; init; }

    /// <summary>
    /// Expected-return planning: rollouts (particles) each candidate plan is scored by, the mean of
    /// their costs; the first with the nominal model, the others with parameters drawn within
    /// +/-<see cref="ParticleSpread"/>. Null for the planner's default (1, or 3 for icem-robust); [1, 32];
    /// only the sampling planners (cem, shooting, cem-pets, cem-lqr, icem, icem-dm, icem-robust, mppi) take it.
    /// </summary>
    public int? Particles { get; init; }

    /// <summary>Relative spread of the particles' sampled model parameters, [0, 0.9].</summary>
    public double ParticleSpread { get; init; } = PlannerCatalog.DefaultParticleSpread;

    /// <summary>
    /// Process noise of the particles' rollouts: standard deviation of the random cart acceleration, m/s²
    /// (the pole gets the same acceleration at its centre of mass, divided by l); [0, 50]. Used with 2 or more particles.
    /// </summary>
    public double ProcessNoise { get; init; }

    /// <summary>
    /// True: plan the whole run once before the first tick and play it blindly (<see cref="OpenLoopPlan"/>)
    /// instead of re-planning every tick; needs a homed start.
    /// </summary>
    public bool OpenLoop { get; init; }

    /// <summary>
    /// True: the planner hands over to its balance LQR on the pole's angle and speed alone, without its catch check
    /// (the Core's CatchCheck; icem-esp32 and icem-esp32-adapt have one), to compare or for a rig whose track is long.
    /// </summary>
    public bool NoCatchCheck { get; init; }

    /// <summary>Task time of a push on the pole, s; null for none. [0, duration).</summary>
    public double? PushAtSeconds { get; init; }

    /// <summary>Size of the push: the pole's angular velocity changes by this much, rad/s; [-20, 20].</summary>
    public float PushRadiansPerSecond { get; init; } = DefaultPushRadiansPerSecond;

    /// <summary>Default push, rad/s: a light tap, which the balance controllers absorb without leaving the upright band.</summary>
    public const float DefaultPushRadiansPerSecond = 1f;

    /// <summary>Control periods between the controller setting a duty and the drive applying it, [0, 5].</summary>
    public int ActuationDelayTicks { get; init; }

    /// <summary>
    /// True: start from a homed, calibrated rig at the task's start state. False: power on with the cart
    /// somewhere on the track and home first, as on the rig. Null: home when the profile has encoders
    /// and limit switches and the task is a swing-up (a balance run cannot home with the pole up).
    /// </summary>
    public bool? StartHomed { get; init; }

    /// <summary>Initial pole angle, rad; null for the task's default (pi for swing-up, 0.2 for balance).</summary>
    public double? InitialAngleRadians { get; init; }

    /// <summary>The physics the rig drives: the project's equations or MuJoCo (dm-control profile only).</summary>
    public PlantKind Plant { get; init; } = PlantKind.Equations;

    /// <summary>The effects the project's equations leave out that the simulated rig has (<see cref="RealityEffects"/>); Ideal with MuJoCo.</summary>
    public RealityLevel Reality { get; init; } = RealityLevel.Ideal;

    /// <summary>
    /// The reality effects kept (names from <see cref="RealityEffects.EffectNames"/>), the others off, to
    /// measure one at a time; null for all of the level's.
    /// </summary>
    public string[]? RealityEffectsKept { get; init; }

    /// <summary>
    /// Seed of the reality draw (the rig's effect sizes and noise); null: <see cref="Seed"/>. Runs that must
    /// meet the same rig with different planner or excitation seeds (e.g. `learn`'s rounds) share it.
    /// </summary>
    public uint? RealitySeed { get; init; }

    /// <summary>The reality effects of this run on <paramref name="profile"/>: the level's draw for the seed, filtered by <see cref="RealityEffectsKept"/>.</summary>
    /// <exception cref="ArgumentException">An effect name is unknown.</exception>
    public RealityEffects ResolveReality(RigProfile profile)
    {
        RealityEffects drawn = RealityEffects.Draw(Reality, profile, RealitySeed ?? Seed);
        return RealityEffectsKept is null || Reality == RealityLevel.Ideal ? drawn : drawn.Only(RealityEffectsKept, profile.CopyMotor().DeadbandDuty);
    }

    public static ControlTask ParseTask(string name) => name switch
    {
        "swingup" => ControlTask.SwingUp,
        "balance" => ControlTask.Balance,
        "excite" => ControlTask.Excite,
        _ => throw new ArgumentException($"Unknown task '{name}'; accepted: {string.Join(", ", TaskNames)}."),
    };

    public static string TaskName(ControlTask task) => task switch
    {
        ControlTask.SwingUp => "swingup",
        ControlTask.Balance => "balance",
        _ => "excite",
    };

    /// <summary>
    /// A rig profile file (JSON, <see cref="Identification.RigProfileFile"/>) that replaces
    /// <see cref="ProfileName"/> for the plant and the controller; null to use the built-in profile.
    /// </summary>
    public string? ProfileFile { get; init; }

    /// <summary>
    /// A rig profile file the controller believes in (planner model, drive and deadband compensation,
    /// supervisor), while the plant stays <see cref="ResolveProfile"/>; null: the controller knows the plant's profile.
    /// </summary>
    public string? ModelFile { get; init; }

    /// <summary>The profile named by <see cref="ProfileName"/>.</summary>
    /// <exception cref="ArgumentException">No profile has that name.</exception>
    public RigProfile ResolveProfile() =>
        ProfileFile is not null ? Identification.RigProfileFile.Read(ProfileFile)
        : RigProfiles.FindByName(ProfileName)
        ?? throw new ArgumentException($"Unknown profile '{ProfileName}'; accepted: {RigProfiles.AllNames}.");

    /// <summary>The profile the controller is built from: <see cref="ModelFile"/>'s, or <paramref name="plant"/>.</summary>
    /// <exception cref="ArgumentException">The model file cannot be read or is invalid.</exception>
    public RigProfile ResolveControllerProfile(RigProfile plant) =>
        ModelFile is not null ? Identification.RigProfileFile.Read(ModelFile) : plant;

    /// <summary>Whether this run starts homed (see <see cref="StartHomed"/>).</summary>
    public bool ResolveStartHomed(RigProfile profile) =>
        StartHomed ?? (Task == ControlTask.Balance || profile.CartCountsPerMeter <= 0f || profile.LimitSwitchOffsetMeters <= 0f);

    /// <summary>
    /// A model file changes what the controller believes of the physics and the drive, not the rig it is
    /// wired to: the encoders, switches, end stops, track and control period must be the plant's.
    /// </summary>
    private static void RequireSameRig(RigProfile plant, RigProfile controller)
    {
        if (ReferenceEquals(plant, controller))
        {
            return;
        }

        void Require(string what, double model, double rig)
        {
            if (model != rig)
            {
                throw new ArgumentException($"--model-file has {what} {model}, the plant {rig}; a model file may differ in the physics and the drive only (identify it with the rig's profile as --prior).");
            }
        }

        Require("a control period (s) of", controller.ControlPeriodSeconds, plant.ControlPeriodSeconds);
        Require("cart encoder counts per metre", controller.CartCountsPerMeter, plant.CartCountsPerMeter);
        Require("pole encoder counts per revolution", controller.PoleCountsPerRevolution, plant.PoleCountsPerRevolution);
        Require("a limit switch offset (m) of", controller.LimitSwitchOffsetMeters, plant.LimitSwitchOffsetMeters);
        Require("an end stop offset (m) of", controller.EndStopOffsetMeters, plant.EndStopOffsetMeters);
        Require("a track half-length (m) of", controller.CopyParameters().TrackHalfLengthMeters, plant.CopyParameters().TrackHalfLengthMeters);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        RigProfile plant = ResolveProfile();
        RigProfile controller = ResolveControllerProfile(plant);
        RequireSameRig(plant, controller);

        PlannerEntry planner = PlannerCatalog.Find(Planner);
        if (RealityEffectsKept is not null)
        {
            _ = ResolveReality(plant);
            if (Reality == RealityLevel.Ideal)
            {
                throw new ArgumentException("--reality-effects picks among the effects of --reality typical or harsh; the ideal rig has none.");
            }
        }

        if (Plant == PlantKind.MuJoCo)
        {
            Plants.MuJoCo.MuJoCoPlant.RequireAvailable(plant.Name);
            if (Reality != RealityLevel.Ideal)
            {
                throw new ArgumentException($"--reality {PlantNames.Of(Reality)} applies to --plant equations; MuJoCo is the reference physics (accepted with mujoco: ideal).");
            }
        }

        if (!(DurationSeconds >= 0.1 && DurationSeconds <= 3600))
        {
            throw new ArgumentException($"--duration must be in [0.1, 3600] seconds; got {DurationSeconds}.");
        }

        if (ActuationDelayTicks < 0 || ActuationDelayTicks > 5)
        {
            throw new ArgumentException($"--delay-ticks must be in [0, 5]; got {ActuationDelayTicks}.");
        }

        if (!(Mismatch >= 0 && Mismatch <= 0.9))
        {
            throw new ArgumentException($"--mismatch must be in [0, 0.9]; got {Mismatch}.");
        }

        if (Particles is int particles && (particles < 1 || particles > 32))
        {
            throw new ArgumentException($"--particles must be in [1, 32]; got {particles}.");
        }

        if (Particles > 1 && !planner.TakesParticles)
        {
            throw new ArgumentException($"--particles applies to the sampling planners ({string.Join(", ", PlannerCatalog.Entries.Where(e => e.TakesParticles).Select(e => e.Name))}); planner '{Planner}' scores with one rollout.");
        }

        bool particleOptions = ProcessNoise != 0 || ParticleSpread != PlannerCatalog.DefaultParticleSpread;
        if (particleOptions && planner.ParticlesFor(this) <= 1)
        {
            throw new ArgumentException("--particle-spread and --process-noise shape the particles of expected-return planning: use them with --particles 2 or more on a sampling planner.");
        }

        if (!(ParticleSpread >= 0 && ParticleSpread <= 0.9))
        {
            throw new ArgumentException($"--particle-spread must be in [0, 0.9]; got {ParticleSpread}.");
        }

        if (!(ProcessNoise >= 0 && ProcessNoise <= 50))
        {
            throw new ArgumentException($"--process-noise must be in [0, 50] m/s²; got {ProcessNoise}.");
        }

        if (PushAtSeconds is double pushAt && !(pushAt >= 0 && pushAt < DurationSeconds))
        {
            throw new ArgumentException($"--push-at must be in [0, duration) = [0, {DurationSeconds}) seconds of task time; got {pushAt}.");
        }

        if (!(PushRadiansPerSecond >= -20 && PushRadiansPerSecond <= 20))
        {
            throw new ArgumentException($"--push must be in [-20, 20] rad/s; got {PushRadiansPerSecond}.");
        }

        if (OpenLoop && Task == ControlTask.Excite)
        {
            throw new ArgumentException("--open-loop applies to the swingup and balance tasks; the excite task has no plan.");
        }

        if (OpenLoop && !ResolveStartHomed(plant))
        {
            throw new ArgumentException("--open-loop needs a known start state: add --homed (implied for dm-control and for balance).");
        }

        if (InitialAngleRadians is double angle && !double.IsFinite(angle))
        {
            throw new ArgumentException($"--initial-angle must be a finite number of radians; got {angle}.");
        }

        if (!ResolveStartHomed(plant) && (Task == ControlTask.Balance || InitialAngleRadians.HasValue))
        {
            throw new ArgumentException("homing needs the pole hanging at rest: use --homed with --task balance or --initial-angle.");
        }
    }
}
