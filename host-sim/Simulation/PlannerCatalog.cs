using System;
using System.Linq;
using EmbeddedMpc.Core.Catalog;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>A built controller pair (SwingUp and Balance modes), the model parameters it plans with and its sizes.</summary>
/// <param name="Adaptation">The online adaptation of the planner's model (the control loop runs it), or null.</param>
/// <param name="CatchCheck">The catch check on the hand-over to the balance LQR (the control loop runs it), or null.</param>
public sealed record PlannerStack(IPolicy SwingUp, IPolicy Balance, CartPoleParameters PlannerParameters, PlannerSizes Sizes,
    EmbeddedMpc.Core.Adaptation.OnlineModelAdaptation? Adaptation = null, CatchCheck? CatchCheck = null);

/// <summary>The sizes a planner was built with; zeros for policies that do not sample.</summary>
/// <param name="Particles">Rollouts each plan is scored by (expected-return planning); 1 for a single rollout.</param>
public sealed record PlannerSizes(int Samples, int HorizonSteps, int Iterations, int Elites, int Knots, double ModelStepSeconds, int Particles = 1);

/// <summary>
/// One named planner of the simulator (`--planner NAME`): the Core's <see cref="PlannerDefinition"/> (what
/// the firmware builds too) and what only the simulator adds, expected-return planning over particles.
/// The definition is shared by every run: build from <see cref="For"/>'s copy, never change it in place.
/// </summary>
/// <param name="DefaultParticles">
/// Rollouts each plan is scored by when <see cref="RunSettings.Particles"/> is not given (expected-return
/// planning from 2); 0 for planners that do not score through an <see cref="IRolloutEvaluator"/> that particles could replace.
/// </param>
public sealed record PlannerEntry(PlannerDefinition Definition, int DefaultParticles)
{
    /// <summary>The planner's name on the command line.</summary>
    public string Name => Definition.Name;

    /// <summary>Whether <see cref="RunSettings.Particles"/> applies to this planner.</summary>
    public bool TakesParticles => DefaultParticles > 0;

    /// <summary>The rollouts per plan a run of <paramref name="settings"/> scores with: its --particles, else this planner's default (at least 1).</summary>
    public int ParticlesFor(RunSettings settings) => Math.Max(1, settings.Particles ?? DefaultParticles);

    /// <summary>
    /// A copy of the definition with the run's options applied: --samples, --iterations, --elites, --horizon (not for mcts)
    /// and the seed. CEM's elites, when not given, follow --samples down to half of them (at least 1).
    /// </summary>
    public PlannerDefinition For(RunSettings settings)
    {
        PlannerDefinition definition = Definition.Copy();
        definition.Samples = settings.Samples ?? definition.Samples;
        definition.Iterations = settings.Iterations ?? definition.Iterations;
        definition.Elites = settings.Elites
            ?? (definition.Kind == PlannerKind.Cem ? Math.Max(1, Math.Min(definition.Elites, definition.Samples / 2)) : definition.Elites);
        // MCTS's tree sets its depth; its rollout horizon is only reported, so --horizon does not apply to it
        // (the command line refuses it for mcts rather than ignoring it).
        definition.HorizonSteps = definition.Kind == PlannerKind.Mcts ? definition.HorizonSteps : settings.Horizon ?? definition.HorizonSteps;
        definition.Seed = settings.Seed;
        definition.CatchCheck = settings.NoCatchCheck ? null : definition.CatchCheck;
        return definition;
    }
}

/// <summary>The planners `run` and `bench` know, by name: the Core's <see cref="PlannerDefinitions"/>.</summary>
public static class PlannerCatalog
{
    /// <summary>Expected-return planning's default particles of icem-robust: the nominal model and 2 sampled ones.</summary>
    private const int RobustParticles = 3;

    public static readonly PlannerEntry[] Entries = Array.ConvertAll(PlannerDefinitions.All(), definition => new PlannerEntry(definition, DefaultParticles(definition)));

    /// <summary>The accepted names, for the command line.</summary>
    public static string[] Names => Entries.Select(entry => entry.Name).ToArray();

    /// <summary>Default relative spread of the sampled models of expected-return planning.</summary>
    public const double DefaultParticleSpread = 0.2;

    /// <summary>The entry called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No planner has that name.</exception>
    public static PlannerEntry Find(string name) =>
        Entries.FirstOrDefault(entry => entry.Name == name)
        ?? throw new ArgumentException($"Unknown planner '{name}'; accepted: {string.Join(", ", Names)}.");

    /// <summary>Builds the planner of <paramref name="settings"/> for <paramref name="profile"/> through the Core's <see cref="ControllerFactory"/>.</summary>
    /// <exception cref="ArgumentException">A planner setting is out of range (the message names it).</exception>
    public static PlannerStack Build(RunSettings settings, RigProfile profile)
    {
        PlannerEntry entry = Find(settings.Planner);
        CartPoleParameters parameters = PlannerParameters(profile, settings.Mismatch, settings.Seed);
        int particles = entry.ParticlesFor(settings);
        IRolloutEvaluatorSource? evaluators = particles > 1 ? new ParticleEvaluators(settings, parameters, particles, profile.CopyMotor()) : null;
        PlannerPolicies built = ControllerFactory.BuildPlanner(entry.For(settings), profile, parameters, settings.Task == ControlTask.SwingUp, evaluators);
        return new PlannerStack(built.SwingUp, built.Balance, parameters,
            new PlannerSizes(built.Samples, built.HorizonSteps, built.Iterations, built.Elites, built.Knots, built.ModelStepSeconds, built.Particles),
            built.Adaptation, built.CatchCheck);
    }

    /// <summary>
    /// The planner's model parameters: the profile's, each physical parameter scaled by a factor
    /// drawn uniformly from [1 - mismatch, 1 + mismatch] (seeded), the pole inertia kept at least m l^2.
    /// Force limit and track length are not perturbed (they are known by design).
    /// </summary>
    private static CartPoleParameters PlannerParameters(RigProfile profile, double mismatch, uint seed)
    {
        CartPoleParameters parameters = profile.CopyParameters();
        if (mismatch <= 0)
        {
            return parameters;
        }

        return Perturb(parameters, mismatch, new Random(unchecked((int)(seed * 2654435761u))));
    }

    /// <summary>A copy of <paramref name="nominal"/> with each physical parameter scaled by a factor drawn uniformly from [1 - spread, 1 + spread].</summary>
    private static CartPoleParameters Perturb(CartPoleParameters nominal, double spread, Random random)
    {
        CartPoleParameters parameters = nominal.Clone();
        float Scale() => (float)(1.0 + spread * (2.0 * random.NextDouble() - 1.0));
        parameters.CartMassKilograms *= Scale();
        parameters.PoleMassKilograms *= Scale();
        parameters.PivotToCenterOfMassMeters *= Scale();
        parameters.PoleInertiaAboutPivotKilogramSquareMeters *= Scale();
        parameters.CartDampingNewtonSecondsPerMeter *= Scale();
        parameters.PivotDampingNewtonMeterSecondsPerRadian *= Scale();
        float pointMass = parameters.PoleMassKilograms * parameters.PivotToCenterOfMassMeters * parameters.PivotToCenterOfMassMeters;
        parameters.PoleInertiaAboutPivotKilogramSquareMeters = Math.Max(parameters.PoleInertiaAboutPivotKilogramSquareMeters, pointMass);
        return parameters;
    }

    /// <summary>Particles by default: 1 for the planners that score through an evaluator (3 for icem-robust), else 0.</summary>
    private static int DefaultParticles(PlannerDefinition definition) =>
        definition.Name == PlannerDefinitions.ImprovedCemRobust().Name ? RobustParticles
        : definition.Kind is PlannerKind.RandomShooting or PlannerKind.Cem or PlannerKind.ImprovedCem or PlannerKind.Mppi ? 1
        : 0;

    /// <summary>
    /// Expected-return planning: each plan's cost is the mean over the nominal rollout and rollouts on
    /// the same grid of models whose parameters are drawn within +/-<see cref="RunSettings.ParticleSpread"/>
    /// (seeded), each particle with its own fixed process-noise draws when <see cref="RunSettings.ProcessNoise"/> is set.
    /// </summary>
    private sealed class ParticleEvaluators(RunSettings settings, CartPoleParameters parameters, int particles, MotorParameters drive) : IRolloutEvaluatorSource
    {
        public IRolloutEvaluator Evaluator(CartPoleRollout nominal, ICost cost, RolloutSettings grid)
        {
            var members = new IRolloutEvaluator[particles];
            var random = new Random(unchecked((int)(settings.Seed * 40503u + 7u)));
            float cartNoise = (float)settings.ProcessNoise;
            float poleNoise = cartNoise / parameters.PivotToCenterOfMassMeters;
            for (int i = 0; i < particles; i++)
            {
                CartPoleRollout member = i == 0 ? nominal
                    : new CartPoleRollout(new CartPoleModel(Perturb(parameters, settings.ParticleSpread, random)), cost, grid, drive);
                if (cartNoise > 0f)
                {
                    member.UseProcessNoise(cartNoise, poleNoise, unchecked(settings.Seed * 2246822519u + (uint)i));
                }

                members[i] = member;
            }

            return new ExpectedCostEvaluator(members);
        }
    }
}
