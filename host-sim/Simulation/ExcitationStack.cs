using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Policies;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>
/// The controller of `run --task excite`: the Core's <see cref="ExcitationPolicy"/> in both planning
/// modes (SwingUp and Balance), sized from the profile, so that an excitation run goes through the
/// same control loop, supervisor (track limits, braking) and actuator as every other run.
/// </summary>
public static class ExcitationStack
{
    /// <summary>Largest |reference| as a fraction of the usable track half-length.</summary>
    public const float AmplitudeTrackFraction = 0.45f;

    /// <summary>Lowest tone, Hz: slow, large cart moves (cart mass and damping).</summary>
    public const float LowFrequencyHertz = 0.2f;

    /// <summary>Highest tone, Hz: above the pendulum's natural frequency on the built-in rigs (0.6 to 0.9 Hz).</summary>
    public const float HighFrequencyHertz = 2.5f;

    /// <summary>Tones of the multisine.</summary>
    public const int ToneCount = 10;

    /// <summary>Position-loop stiffness, N/m (divided by the stall force to give command per metre).</summary>
    public const float PositionStiffnessNewtonsPerMeter = 60f;

    /// <summary>Position-loop damping, N·s/m (divided by the stall force to give command per m/s).</summary>
    public const float VelocityDampingNewtonSecondsPerMeter = 6f;

    /// <summary>The excitation policy for <paramref name="profile"/>, seeded by the run's seed.</summary>
    public static ExcitationPolicy CreatePolicy(RunSettings settings, RigProfile profile)
    {
        float stallForce = profile.CopyMotor().StallForcePerDutyNewtons();
        float track = profile.CopyParameters().TrackHalfLengthMeters;
        return new ExcitationPolicy(profile.ControlPeriodSeconds, AmplitudeTrackFraction * track, LowFrequencyHertz, HighFrequencyHertz,
            ToneCount, PositionStiffnessNewtonsPerMeter / stallForce, VelocityDampingNewtonSecondsPerMeter / stallForce, settings.Seed * 2246822519u + 11u);
    }

    /// <summary>A planner pair that is the excitation policy in both modes (no model steps).</summary>
    public static PlannerStack Build(RunSettings settings, RigProfile profile)
    {
        ExcitationPolicy policy = CreatePolicy(settings, profile);
        return new PlannerStack(policy, policy, profile.CopyParameters(), new PlannerSizes(0, 0, 0, 0, 0, 0));
    }
}
