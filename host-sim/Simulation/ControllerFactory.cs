using System;
using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>Builds the planner stack (model, cost, rollout, optimizer, controller) for a run.</summary>
public static class ControllerFactory
{
    /// <summary>Default CEM sizes for the simulator; see README for how they were chosen.</summary>
    public static CemSettings DefaultCem(uint seed) => new()
    {
        Samples = 24,
        Horizon = 40,
        Iterations = 3,
        Elites = 4,
        Smoothing = 0.1f,
        InitialStandardDeviation = 0.5f,
        MinimumStandardDeviation = 0.05f,
        Result = CemResult.BestSample,
        Seed = seed,
    };

    /// <summary>Default random-shooting sizes for the simulator.</summary>
    public static RandomShootingSettings DefaultShooting(uint seed) => new()
    {
        Samples = 200,
        Horizon = 40,
        Seed = seed,
    };

    /// <summary>
    /// The planner's model parameters: the profile's, each physical parameter scaled by a factor
    /// drawn uniformly from [1 - mismatch, 1 + mismatch] (seeded), the pole inertia kept at least m l^2.
    /// Force limit and track length are not perturbed (they are known by design).
    /// </summary>
    public static CartPoleParameters PlannerParameters(RigProfile profile, double mismatch, uint seed)
    {
        CartPoleParameters parameters = profile.CopyParameters();
        if (mismatch <= 0)
        {
            return parameters;
        }

        var random = new Random(unchecked((int)(seed * 2654435761u)));
        float Scale() => (float)(1.0 + mismatch * (2.0 * random.NextDouble() - 1.0));
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

    /// <summary>Builds the controller for <paramref name="settings"/>.</summary>
    /// <exception cref="ArgumentException">A planner setting is out of range (the message names it).</exception>
    public static PlannerStack Build(RunSettings settings, RigProfile profile)
    {
        CartPoleParameters parameters = PlannerParameters(profile, settings.Mismatch, settings.Seed);
        var model = new CartPoleModel(parameters);
        ICost cost = settings.Task == ControlTask.SwingUp
            ? new SwingUpCost(new SwingUpCostSettings(), parameters.TrackHalfLengthMeters)
            : new BalanceCost(new BalanceCostSettings(), parameters.TrackHalfLengthMeters);
        var rollout = new CartPoleRollout(model, cost, profile.ControlPeriodSeconds, 1, profile.CopyMotor());
        IActionSequenceOptimizer optimizer;
        PlannerSizes sizes;
        if (settings.Planner == PlannerKind.Cem)
        {
            CemSettings cem = DefaultCem(settings.Seed);
            cem.Samples = settings.Samples ?? cem.Samples;
            cem.Horizon = settings.Horizon ?? cem.Horizon;
            cem.Iterations = settings.Iterations ?? cem.Iterations;
            cem.Elites = settings.Elites ?? Math.Max(1, Math.Min(cem.Elites, cem.Samples / 2));
            optimizer = new CemOptimizer(cem, rollout);
            sizes = new PlannerSizes(cem.Samples, cem.Horizon, cem.Iterations, cem.Elites);
        }
        else
        {
            RandomShootingSettings shooting = DefaultShooting(settings.Seed);
            shooting.Samples = settings.Samples ?? shooting.Samples;
            shooting.Horizon = settings.Horizon ?? shooting.Horizon;
            optimizer = new RandomShootingOptimizer(shooting, rollout);
            sizes = new PlannerSizes(shooting.Samples, shooting.Horizon, 1, 1);
        }

        return new PlannerStack(new RecedingHorizonController(optimizer, rollout), parameters, sizes);
    }
}

/// <summary>A built controller, the model parameters it plans with and its sizes.</summary>
public sealed record PlannerStack(RecedingHorizonController Controller, CartPoleParameters PlannerParameters, PlannerSizes Sizes);

/// <summary>The sizes a planner was built with (random shooting: 1 iteration, 1 elite, the best sample).</summary>
public sealed record PlannerSizes(int Samples, int Horizon, int Iterations, int Elites);
