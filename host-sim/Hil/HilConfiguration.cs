using System;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Hil;

/// <summary>
/// How a run's settings travel in the Configuration message, and how the virtual device reads them back
/// (the rig with the Core's <see cref="ConfigurationMessage.ToProfile"/>, the planner with <see cref="ToSettings"/>).
/// </summary>
/// <remarks>
/// <para>Host to device: the rig fields carry the physical parameters the controller is to believe, i.e.
/// the planner's model parameters (the profile's, perturbed by <c>--mismatch</c>), the profile's
/// encoder scales and control period; the planner fields carry the sizes the run's planner resolves to
/// (samples, knots per sequence, iterations, elites) and the run's seed.</para>
/// <para>The message has no field for the planner kind, the task, whether the rig starts homed, or the
/// drive (motor) model and switch offsets: the device takes those from its own settings (the firmware
/// compiles them in; the virtual device has <c>--planner</c>, <c>--task</c>, <c>--homed</c>,
/// <c>--profile</c>), so both ends must be started with the same values.</para>
/// <para>The device builds its whole controller (estimator, supervisor, planner, actuator) from the one
/// set of parameters it was sent, as a firmware would. With <c>--mismatch 0</c> that is exactly what
/// <c>run</c> builds; with a mismatch, <c>run</c>'s supervisor keeps the true masses for its braking
/// distance while the device's uses the mismatched ones (it knows no others).</para>
/// </remarks>
public static class HilConfiguration
{
    /// <summary>The Configuration for a run of <paramref name="settings"/> on <paramref name="profile"/> with <paramref name="planner"/>.</summary>
    public static ConfigurationMessage From(RunSettings settings, RigProfile profile, PlannerStack planner)
    {
        var message = new ConfigurationMessage();
        message.SetRig(profile);
        CartPoleParameters believed = planner.PlannerParameters;
        message.CartMassKilograms = believed.CartMassKilograms;
        message.PoleMassKilograms = believed.PoleMassKilograms;
        message.PivotToCenterOfMassMeters = believed.PivotToCenterOfMassMeters;
        message.PoleInertiaAboutPivotKilogramSquareMeters = believed.PoleInertiaAboutPivotKilogramSquareMeters;
        message.CartDampingNewtonSecondsPerMeter = believed.CartDampingNewtonSecondsPerMeter;
        message.PivotDampingNewtonMeterSecondsPerRadian = believed.PivotDampingNewtonMeterSecondsPerRadian;
        message.MaxForceNewtons = believed.MaxForceNewtons;
        message.TrackHalfLengthMeters = believed.TrackHalfLengthMeters;
        message.GravityMetersPerSecondSquared = believed.GravityMetersPerSecondSquared;
        message.CartCoulombFrictionNewtons = believed.CartCoulombFrictionNewtons;
        message.PivotCoulombFrictionNewtonMeters = believed.PivotCoulombFrictionNewtonMeters;

        // Policies that do not sample (sizes 0) get the smallest valid values, which they ignore.
        PlannerSizes sizes = planner.Sizes;
        message.Samples = Math.Max(2, sizes.Samples);
        message.Horizon = Math.Max(1, sizes.Knots);
        message.Iterations = Math.Max(1, sizes.Iterations);
        message.Elites = Math.Clamp(sizes.Elites, 1, message.Samples);
        message.Seed = settings.Seed;
        return message;
    }

    /// <summary>
    /// The device side: <paramref name="deviceSettings"/> (planner kind, task, homing) with the message's
    /// sizes and seed, after the Core's checks, which come before anything of the message's size is built:
    /// the ranges (<see cref="ConfigurationRules.CheckRanges"/>) and the tick's work (Samples x Horizon in
    /// model steps x Iterations x particles, <see cref="ConfigurationRules.CheckTickWork"/>) against
    /// <paramref name="modelStepsPerSecond"/>. The Horizon field counts decision values (knots) per
    /// sequence; for planners with several model steps per knot it maps back to the largest horizon in
    /// model steps with that many knots. A planner that does not sample ignores the sizes (its work is its
    /// own); the check then counts them as sent.
    /// </summary>
    /// <param name="detail">What refused the message, or <see cref="AckDetail.None"/> (then the settings are returned).</param>
    /// <param name="limit">For <see cref="AckDetail.TickWork"/>: the limit in model steps per tick; else 0.</param>
    /// <returns>The settings to build, or null when the message is refused.</returns>
    public static RunSettings? ToSettings(ref ConfigurationMessage message, RunSettings deviceSettings, RigProfile profile, int modelStepsPerSecond,
        out AckDetail detail, out uint limit)
    {
        limit = 0;
        detail = ConfigurationRules.CheckRanges(ref message);
        if (detail != AckDetail.None)
        {
            return null;
        }

        PlannerSizes defaults = PlannerCatalog.Build(deviceSettings, profile).Sizes; // the device's own planner, at its own sizes
        int? horizonSteps = null;
        int workHorizon = message.Horizon;
        if (defaults.Knots != 0 && defaults.Knots != message.Horizon)
        {
            int stepsPerKnot = StepsPerKnot(defaults.HorizonSteps, defaults.Knots);
            horizonSteps = stepsPerKnot == 1 ? message.Horizon : Math.Max(1, (message.Horizon - 1) * stepsPerKnot);
            workHorizon = horizonSteps.Value;
        }
        else if (defaults.Knots != 0)
        {
            workHorizon = defaults.HorizonSteps;
        }

        int particles = PlannerCatalog.Find(deviceSettings.Planner).ParticlesFor(deviceSettings);
        detail = ConfigurationRules.CheckTickWork(message.Samples, workHorizon, message.Iterations, particles, message.ControlPeriodMicroseconds,
            modelStepsPerSecond, out limit);
        if (detail != AckDetail.None)
        {
            return null;
        }

        limit = 0;
        return With(deviceSettings, message.Samples, horizonSteps, message.Iterations, message.Elites, message.Seed);
    }

    // RolloutSettings.KnotCount: steps if one step per knot, else ceil(steps / s) + 1.
    private static int StepsPerKnot(int horizonSteps, int knots)
    {
        if (knots == horizonSteps)
        {
            return 1;
        }

        for (int s = 2; s <= horizonSteps; s++)
        {
            if ((horizonSteps + s - 1) / s + 1 == knots)
            {
                return s;
            }
        }

        return 1;
    }

    private static RunSettings With(RunSettings settings, int samples, int? horizon, int iterations, int elites, uint seed) => new()
    {
        Task = settings.Task,
        Planner = settings.Planner,
        ProfileName = settings.ProfileName,
        Seed = seed,
        DurationSeconds = settings.DurationSeconds,
        Samples = samples,
        Horizon = horizon,
        Iterations = iterations,
        Elites = elites,
        Mismatch = 0,
        ActuationDelayTicks = 0,
        StartHomed = settings.StartHomed,
        InitialAngleRadians = settings.InitialAngleRadians,
    };
}
