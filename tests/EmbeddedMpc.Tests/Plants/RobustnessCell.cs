using EmbeddedMpc.Core.Catalog;
using EmbeddedMpc.HostSim.Plants;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.Tests.Plants;

/// <summary>
/// The bench cell the project's robustness targets are stated on: esp32-rig, the default planner
/// (icem-esp32-adapt), ±20 % model mismatch, 1 tick of actuation delay, started homed, 10 s.
/// </summary>
internal static class RobustnessCell
{
    /// <summary>One run of the cell on the plant of <paramref name="reality"/>.</summary>
    public static RunSettings Run(uint seed, RealityLevel reality) => new()
    {
        Planner = PlannerDefinitions.ImprovedCemEsp32Adaptive().Name,
        Seed = seed,
        Mismatch = 0.2,
        ActuationDelayTicks = 1,
        StartHomed = true,
        Reality = reality,
    };
}
