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
    /// <summary>The excitation policy for <paramref name="profile"/>, seeded by the run's seed (the Core's <see cref="ExcitationPolicy.ForProfile"/>, as a rig's Command Excite).</summary>
    public static ExcitationPolicy CreatePolicy(RunSettings settings, RigProfile profile) =>
        ExcitationPolicy.ForProfile(profile, ExcitationPolicy.SeedForRun(settings.Seed));

    /// <summary>A planner pair that is the excitation policy in both modes (no model steps).</summary>
    public static PlannerStack Build(RunSettings settings, RigProfile profile)
    {
        ExcitationPolicy policy = CreatePolicy(settings, profile);
        return new PlannerStack(policy, policy, profile.CopyParameters(), new PlannerSizes(0, 0, 0, 0, 0, 0));
    }
}
