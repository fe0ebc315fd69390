using System;
using System.Collections.Generic;
using System.IO;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Plants;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Identification;

/// <summary>How `learn` excites the plant for identification.</summary>
public enum LearnExcitation
{
    /// <summary>`run --task excite`: the cart tracks a multisine with the pole hanging; the planner is not used.</summary>
    Multisine,

    /// <summary>
    /// A swing-up attempt with the current model, cut to the excitation length: the planner pumps the pole
    /// to large angles within a few seconds, which a multisine of the same length does not (esp32-rig,
    /// typical plant, 5 s: the pole within ±0.25 rad and the cart within ±6 cm), and the cart equation needs
    /// the pole's motion to fix m l and J.
    /// </summary>
    SwingUp,
}

/// <summary>What `learn` does: the plant, the planner, how wrong the first model is, how long each run is.</summary>
public sealed class LearnSettings
{
    /// <summary>The plant's built-in profile (the simulated rig's truth).</summary>
    public string ProfileName { get; init; } = RigProfiles.Esp32RigName;

    /// <summary>The planner that attempts the swing-up (a name of <see cref="PlannerCatalog"/>).</summary>
    public string Planner { get; init; } = "icem-dm";

    /// <summary>The effects the plant has beyond the planner's equations; one draw (seeded by <see cref="Seed"/>) for every round, as one rig.</summary>
    public RealityLevel Reality { get; init; } = RealityLevel.Ideal;

    /// <summary>Seed of the wrong model, the rig's reality draw, the runs and the bootstrap.</summary>
    public uint Seed { get; init; } = 1;

    /// <summary>Relative error of every identifiable parameter of the first model, (0, 0.6].</summary>
    public double InitialError { get; init; } = 0.3;

    /// <summary>Length of each excitation run, s, [3, 600].</summary>
    public double ExciteSeconds { get; init; } = 5;

    /// <summary>
    /// True: excite and identify before the first swing-up attempt, so no plant time goes to an attempt with
    /// the wrong model; false: attempt first, and excite only when it fails.
    /// </summary>
    public bool ExciteFirst { get; init; } = true;

    /// <summary>What each excitation run does.</summary>
    public LearnExcitation Excitation { get; init; } = LearnExcitation.SwingUp;

    /// <summary>Length of each swing-up attempt, s (success needs the last 3 s upright).</summary>
    public double AttemptSeconds { get; init; } = 10;

    /// <summary>Most identification rounds after the first attempt.</summary>
    public int MaxRounds { get; init; } = 5;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (RigProfiles.FindByName(ProfileName) is null)
        {
            throw new ArgumentException($"Unknown profile '{ProfileName}'; accepted: {RigProfiles.AllNames}.");
        }

        PlannerCatalog.Find(Planner);
        if (!(InitialError > 0 && InitialError <= 0.6))
        {
            throw new ArgumentException($"--initial-error must be in (0, 0.6]; got {InitialError}.");
        }

        if (!(ExciteSeconds >= 3 && ExciteSeconds <= 600))
        {
            throw new ArgumentException($"--excite-seconds must be in [3, 600]; got {ExciteSeconds}.");
        }

        if (!(AttemptSeconds >= 4 && AttemptSeconds <= 600))
        {
            throw new ArgumentException($"--attempt-seconds must be in [4, 600]; got {AttemptSeconds}.");
        }

        if (MaxRounds < 1 || MaxRounds > 20)
        {
            throw new ArgumentException($"--max-rounds must be in [1, 20]; got {MaxRounds}.");
        }
    }
}

/// <summary>One round of `learn`: the model it planned with, its errors and the swing-up attempt's outcome.</summary>
/// <param name="Round">0 for the wrong starting model, then one per identification.</param>
/// <param name="PlantSeconds">Simulated plant time used up to and including this round's attempt, s.</param>
/// <param name="Success">Whether the swing-up attempt with this round's model succeeded.</param>
/// <param name="TimeToUprightSeconds">The attempt's time to upright; null if never.</param>
/// <param name="RelativeErrors">Relative error of each identifiable parameter of the model, by name.</param>
/// <param name="SecondsToSwingUp">Plant time before this round's attempt plus the attempt's time to upright, s: the interaction a successful swing-up took; null if it failed.</param>
public sealed record LearnRound(int Round, double PlantSeconds, bool Success, double? TimeToUprightSeconds, IReadOnlyDictionary<string, double> RelativeErrors, double? SecondsToSwingUp = null)
{
    /// <summary>Largest |relative error| over the identifiable parameters.</summary>
    public double MaxAbsRelativeError => RelativeErrors.Values.Max(Math.Abs);
}

/// <summary>
/// Model learning in closed loop: start from a profile whose identifiable parameters are all 30 % off
/// (seeded signs), attempt the swing-up with it on the plant (the true profile, simulated); while it
/// fails, run an excitation on the plant with the controller's current model, identify from all the
/// excitation logs so far (the known stall force, back-EMF and pole mass are the plant's, as a
/// datasheet and a scale would give them) and attempt again with the new model.
/// </summary>
public static class LearnLoop
{
    /// <summary>Names of the identifiable quantities compared with the truth.</summary>
    public static readonly string[] ParameterNames = ["totalMass", "poleMassLength", "poleInertia", "pivotDamping", "totalCartDamping", "deadband"];

    /// <summary>learn.json: the file with the settings, the outcome and each round's errors.</summary>
    public const string ReportFileName = "learn.json";

    /// <summary>
    /// Runs the loop and writes its outputs into <paramref name="directory"/>: learn.json and, per round,
    /// round-N/ (the model, the attempt and the excitation). All of it is staged in a sibling directory
    /// and moved into place once the loop has finished, after the learn.json and round-N/ entries of an
    /// earlier run there have been removed (other files are left alone); if the loop fails, the staging
    /// directory is deleted and <paramref name="directory"/> is untouched.
    /// </summary>
    /// <param name="settings">The loop.</param>
    /// <param name="directory">Output directory (created if missing).</param>
    /// <param name="progress">Called after each round.</param>
    /// <exception cref="ArgumentException">A setting is out of range, or an identification failed.</exception>
    /// <exception cref="IOException">The outputs cannot be written.</exception>
    public static IReadOnlyList<LearnRound> Run(LearnSettings settings, string directory, Action<LearnRound>? progress = null)
    {
        settings.Validate();
        using Output.StagedOutput output = Output.StagedOutput.Begin(directory);
        IReadOnlyList<LearnRound> rounds = RunInto(settings, output.StagingDirectory, progress);
        File.WriteAllText(output.PathOf(ReportFileName), ToJson(settings, rounds) + "\n", new UTF8Encoding(false));
        string[] stale = Directory.Exists(output.TargetDirectory)
            ? OutputEntries(output.TargetDirectory).Select(entry => Path.GetFileName(entry)).ToArray()
            : [];
        output.Commit(OutputEntries(output.StagingDirectory).Select(entry => Path.GetFileName(entry)).ToArray(), stale);
        return rounds;
    }

    /// <summary>The entries of <paramref name="directory"/> that `learn` writes: learn.json and the round-N directories.</summary>
    private static IEnumerable<string> OutputEntries(string directory)
    {
        string report = Path.Combine(directory, ReportFileName);
        if (File.Exists(report))
        {
            yield return report;
        }

        foreach (string round in Directory.GetDirectories(directory, "round-*"))
        {
            if (int.TryParse(Path.GetFileName(round).AsSpan("round-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                yield return round;
            }
        }
    }

    /// <summary>The loop itself, writing round-N/ under <paramref name="directory"/>.</summary>
    private static IReadOnlyList<LearnRound> RunInto(LearnSettings settings, string directory, Action<LearnRound>? progress)
    {
        RigProfile truth = RigProfiles.FindByName(settings.ProfileName)!;
        RigProfile belief = WrongProfile(truth, settings.InitialError, settings.Seed);
        var rounds = new List<LearnRound>();
        var logs = new List<IdentificationLog>();
        double plantSeconds = 0;
        if (settings.ExciteFirst)
        {
            string firstDirectory = Path.Combine(directory, "round-0");
            Directory.CreateDirectory(firstDirectory);
            belief = ExciteAndIdentify(settings, truth, belief, firstDirectory, 0, logs, ref plantSeconds);
        }

        int firstRound = settings.ExciteFirst ? 1 : 0;
        for (int round = firstRound; ; round++)
        {
            string roundDirectory = Path.Combine(directory, $"round-{round}");
            Directory.CreateDirectory(roundDirectory);
            string modelFile = Path.Combine(roundDirectory, "model.json");
            RigProfileFile.Write(belief, modelFile);

            RunResult attempt = ClosedLoopRun.Execute(new RunSettings
            {
                Task = ControlTask.SwingUp,
                Planner = settings.Planner,
                ProfileName = truth.Name,
                ModelFile = modelFile,
                Seed = settings.Seed + (uint)round,
                Reality = settings.Reality,
                RealitySeed = settings.Seed,
                DurationSeconds = settings.AttemptSeconds,
                StartHomed = true,
            });
            double before = plantSeconds;
            plantSeconds += settings.AttemptSeconds;
            string attemptDirectory = Path.Combine(roundDirectory, "attempt");
            RunOutputWriter.Write(attempt, attemptDirectory);
            bool success = attempt.Metrics.Success;
            var result = new LearnRound(round, plantSeconds, success, attempt.Metrics.TimeToUprightSeconds, RelativeErrors(belief, truth),
                success ? before + attempt.Metrics.TimeToUprightSeconds : null);
            rounds.Add(result);
            progress?.Invoke(result);
            if (result.Success || round - firstRound >= settings.MaxRounds)
            {
                return rounds;
            }

            // The failed attempt is data from the plant too: its swings are what the next model must predict.
            logs.Add(IdentificationLog.Read(Path.Combine(attemptDirectory, "log.csv")));
            belief = ExciteAndIdentify(settings, truth, belief, roundDirectory, round, logs, ref plantSeconds);
        }
    }

    /// <summary>
    /// One excitation run on the plant with the controller's <paramref name="belief"/>, written to
    /// excite/ under <paramref name="roundDirectory"/> and added to <paramref name="logs"/>; returns the
    /// profile identified from all of them. Bootstrap blocks of 0.5 s and no minimum length beyond the
    /// identifier's window count: `learn` excites for a few seconds at a time.
    /// </summary>
    private static RigProfile ExciteAndIdentify(LearnSettings settings, RigProfile truth, RigProfile belief, string roundDirectory, int round,
        List<IdentificationLog> logs, ref double plantSeconds)
    {
        string modelFile = Path.Combine(roundDirectory, "model.json");
        RigProfileFile.Write(belief, modelFile);
        bool swingUp = settings.Excitation == LearnExcitation.SwingUp;
        RunResult excitation = ClosedLoopRun.Execute(new RunSettings
        {
            Task = swingUp ? ControlTask.SwingUp : ControlTask.Excite,
            Planner = swingUp ? settings.Planner : RunSettings.DefaultPlanner,
            ProfileName = truth.Name,
            ModelFile = modelFile,
            Seed = settings.Seed * 7919u + (uint)round,
            Reality = settings.Reality,
            RealitySeed = settings.Seed,
            DurationSeconds = settings.ExciteSeconds,
            StartHomed = true,
        });
        plantSeconds += settings.ExciteSeconds;
        string excitationDirectory = Path.Combine(roundDirectory, "excite");
        RunOutputWriter.Write(excitation, excitationDirectory);
        logs.Add(IdentificationLog.Read(Path.Combine(excitationDirectory, "log.csv")));
        try
        {
            return SystemIdentifier.Identify(logs, new IdentificationSettings
            {
                Prior = belief,
                HoldOutFraction = 0.0,
                Seed = settings.Seed,
                MinimumUsableSeconds = 2.0,
                BootstrapBlockSeconds = 0.5,
                ProfileName = $"{truth.Name}-learned-{round + 1}",
            }).Profile;
        }
        catch (ArgumentException error)
        {
            // Too little or too weak data so far (e.g. a fit that is not physical): keep the model, note why
            // beside the excitation, and let the next round add data.
            File.WriteAllText(Path.Combine(excitationDirectory, "identify-error.txt"), error.Message + "\n", new UTF8Encoding(false));
            return belief;
        }
    }

    /// <summary>
    /// <paramref name="truth"/> with each identifiable parameter (M, l, J, b_c, b_p, dead zone) scaled by
    /// 1 + e or 1 - e (sign drawn from <paramref name="seed"/>); J raised to m l² where that makes it
    /// smaller. The pole mass, the stall force and the back-EMF stay true: they are known from the scale
    /// and the datasheet, and the stall force is the scale identification needs.
    /// </summary>
    public static RigProfile WrongProfile(RigProfile truth, double error, uint seed)
    {
        var random = new Random(unchecked((int)(seed * 2654435761u + 97u)));
        float Factor() => (float)(random.Next(2) == 0 ? 1 - error : 1 + error);
        CartPoleParameters p = truth.CopyParameters();
        p.CartMassKilograms *= Factor();
        p.PivotToCenterOfMassMeters *= Factor();
        p.PoleInertiaAboutPivotKilogramSquareMeters *= Factor();
        p.CartDampingNewtonSecondsPerMeter *= Factor();
        p.PivotDampingNewtonMeterSecondsPerRadian *= Factor();
        p.PoleInertiaAboutPivotKilogramSquareMeters = Math.Max(p.PoleInertiaAboutPivotKilogramSquareMeters, p.PoleMassKilograms * p.PivotToCenterOfMassMeters * p.PivotToCenterOfMassMeters);
        MotorParameters m = truth.CopyMotor();
        m.DeadbandDuty *= Factor();
        return new RigProfile(truth.Name + "-wrong", $"{truth.Name} with its identifiable parameters {error:P0} off", p, m,
            truth.CartCountsPerMeter, truth.PoleCountsPerRevolution, truth.ControlPeriodSeconds, truth.LimitSwitchOffsetMeters, truth.EndStopOffsetMeters);
    }

    /// <summary>
    /// Relative error of each identifiable quantity of <paramref name="model"/> against <paramref name="truth"/>;
    /// where the true value is 0 (e.g. a rig without dead zone) the absolute difference instead.
    /// </summary>
    public static IReadOnlyDictionary<string, double> RelativeErrors(RigProfile model, RigProfile truth)
    {
        double[] a = Identifiable(model);
        double[] b = Identifiable(truth);
        var errors = new Dictionary<string, double>();
        for (int i = 0; i < ParameterNames.Length; i++)
        {
            errors[ParameterNames[i]] = b[i] != 0 ? (a[i] - b[i]) / b[i] : a[i] - b[i];
        }

        return errors;
    }

    /// <summary>M + m, m l, J, b_p, b_c + k, dead zone of <paramref name="profile"/>.</summary>
    public static double[] Identifiable(RigProfile profile)
    {
        CartPoleParameters p = profile.CopyParameters();
        MotorParameters m = profile.CopyMotor();
        return
        [
            p.CartMassKilograms + p.PoleMassKilograms,
            p.PoleMassKilograms * p.PivotToCenterOfMassMeters,
            p.PoleInertiaAboutPivotKilogramSquareMeters,
            p.PivotDampingNewtonMeterSecondsPerRadian,
            p.CartDampingNewtonSecondsPerMeter + m.BackEmfDampingNewtonSecondsPerMeter(),
            m.DeadbandDuty,
        ];
    }

    /// <summary>learn.json: the settings, whether and when the swing-up succeeded, the plant time, and each round's errors.</summary>
    public static string ToJson(LearnSettings settings, IReadOnlyList<LearnRound> rounds) => JsonSerializer.Serialize(new
    {
        profile = settings.ProfileName,
        reality = PlantNames.Of(settings.Reality),
        planner = settings.Planner,
        seed = settings.Seed,
        initialError = settings.InitialError,
        exciteSeconds = settings.ExciteSeconds,
        attemptSeconds = settings.AttemptSeconds,
        exciteFirst = settings.ExciteFirst,
        excitation = settings.Excitation == LearnExcitation.SwingUp ? "swingup" : "multisine",
        success = rounds[^1].Success,
        secondsToSwingUp = rounds[^1].SecondsToSwingUp,
        identificationRounds = rounds[^1].Round,
        plantSeconds = rounds[^1].PlantSeconds,
        rounds = rounds.Select(r => new
        {
            round = r.Round,
            plantSeconds = r.PlantSeconds,
            success = r.Success,
            timeToUprightSeconds = r.TimeToUprightSeconds,
            maxAbsRelativeError = r.MaxAbsRelativeError,
            relativeErrors = r.RelativeErrors,
        }),
    }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals });
}
