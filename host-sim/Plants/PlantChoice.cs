using System;

namespace EmbeddedMpc.HostSim.Plants;

/// <summary>Which physics a simulated run's rig drives.</summary>
public enum PlantKind
{
    /// <summary>The project's own cart-pole equations (ideal: the Core's model; otherwise <see cref="RealisticPlant"/>).</summary>
    Equations,

    /// <summary>MuJoCo 2.2.2 through its C library (<see cref="MuJoCo.MuJoCoPlant"/>), the dm_control benchmark's engine.</summary>
    MuJoCo,
}

/// <summary>How far the simulated rig departs from the planner's model (<see cref="RealityEffects"/>).</summary>
public enum RealityLevel
{
    /// <summary>None of the effects: the plant is the Core's own model with the profile's parameters.</summary>
    Ideal,

    /// <summary>Each effect at the size a carefully built hobby rig shows, drawn per seed around it.</summary>
    Typical,

    /// <summary>Each effect at the size of a worn or cheaply built rig, drawn per seed around it.</summary>
    Harsh,
}

/// <summary>Command-line names of <see cref="PlantKind"/> and <see cref="RealityLevel"/>.</summary>
public static class PlantNames
{
    /// <summary>Accepted by --plant.</summary>
    public static readonly string[] Plants = ["equations", "mujoco"];

    /// <summary>Accepted by --reality.</summary>
    public static readonly string[] Realities = ["ideal", "typical", "harsh"];

    /// <exception cref="ArgumentException">Not one of <see cref="Plants"/>.</exception>
    public static PlantKind ParsePlant(string name) => name switch
    {
        "equations" => PlantKind.Equations,
        "mujoco" => PlantKind.MuJoCo,
        _ => throw new ArgumentException($"Unknown plant '{name}'; accepted: {string.Join(", ", Plants)}."),
    };

    /// <exception cref="ArgumentException">Not one of <see cref="Realities"/>.</exception>
    public static RealityLevel ParseReality(string name) => name switch
    {
        "ideal" => RealityLevel.Ideal,
        "typical" => RealityLevel.Typical,
        "harsh" => RealityLevel.Harsh,
        _ => throw new ArgumentException($"Unknown reality '{name}'; accepted: {string.Join(", ", Realities)}."),
    };

    public static string Of(PlantKind plant) => Plants[(int)plant];

    public static string Of(RealityLevel reality) => Realities[(int)reality];
}
