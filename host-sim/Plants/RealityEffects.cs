using System;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.HostSim.Plants;

/// <summary>
/// The sizes of the effects a real rig has and the planner's model leaves out, for one run: drawn per
/// seed around the figures of a <see cref="RealityLevel"/> (each centre times a factor uniform in
/// [0.5, 1.5], asymmetries and supply offsets uniform within their bounds), expressed relative to the
/// profile (its largest force, the pole's gravity torque, its deadband) so every profile gets the same
/// share. host-sim/Plants/README.md gives each figure and where it comes from.
/// </summary>
public sealed record RealityEffects
{
    /// <summary>Kinetic (Coulomb) friction of the cart at the rig's own weight, N; scales with the normal force.</summary>
    public double CartCoulombNewtons { get; init; }

    /// <summary>Static friction (stiction) of the cart at the rig's own weight, N; at least <see cref="CartCoulombNewtons"/>.</summary>
    public double CartStictionNewtons { get; init; }

    /// <summary>Kinetic (Coulomb) friction torque at the pivot, N·m.</summary>
    public double PivotCoulombNewtonMeters { get; init; }

    /// <summary>Static friction torque at the pivot, N·m; at least <see cref="PivotCoulombNewtonMeters"/>.</summary>
    public double PivotStictionNewtonMeters { get; init; }

    /// <summary>PWM resolution, bits; 0 for a continuous duty.</summary>
    public int PwmBits { get; init; }

    /// <summary>The drive's real dead zone, duty (the controller compensates the profile's).</summary>
    public double DeadZoneDuty { get; init; }

    /// <summary>Relative force deficit of the negative direction: negative duties give (1 - this) of the positive force; [-0.5, 0.5].</summary>
    public double DirectionAsymmetry { get; init; }

    /// <summary>Supply voltage over the profile's nominal, at no load.</summary>
    public double SupplyFactor { get; init; } = 1;

    /// <summary>Relative supply drop at the motor's stall current (source and wiring resistance).</summary>
    public double SupplySagAtStall { get; init; }

    /// <summary>The motor's electrical time constant L/R, s; 0 for an instant current.</summary>
    public double ElectricalTimeConstantSeconds { get; init; }

    /// <summary>Age of the state the sensors report at a control tick, s (whole plant steps).</summary>
    public double SensorLatencySeconds { get; init; }

    /// <summary>Largest extra age added per reading, uniform in [0, this], s (whole plant steps).</summary>
    public double SensorJitterSeconds { get; init; }

    /// <summary>Standard deviation of a random force on the cart (Ornstein-Uhlenbeck, <see cref="DisturbanceCorrelationSeconds"/>), N.</summary>
    public double DisturbanceForceNewtons { get; init; }

    /// <summary>Correlation time of the random cart force, s.</summary>
    public double DisturbanceCorrelationSeconds { get; init; } = 0.2;

    /// <summary>Seed of the random processes of the run (sensor jitter, disturbance force).</summary>
    public uint NoiseSeed { get; init; }

    /// <summary>No effect at all: the ideal plant.</summary>
    public static RealityEffects None { get; } = new();

    /// <summary>True when every effect is absent.</summary>
    public bool IsNone => this with { NoiseSeed = 0 } == None;

    /// <summary>The effects of <paramref name="level"/> on <paramref name="profile"/>, drawn with <paramref name="seed"/>.</summary>
    public static RealityEffects Draw(RealityLevel level, RigProfile profile, uint seed)
    {
        if (level == RealityLevel.Ideal)
        {
            return None;
        }

        bool harsh = level == RealityLevel.Harsh;
        CartPoleParameters p = profile.CopyParameters();
        double maxForce = p.MaxForceNewtons;
        double gravityTorque = p.PoleMassKilograms * p.GravityMetersPerSecondSquared * p.PivotToCenterOfMassMeters;
        double deadband = profile.CopyMotor().DeadbandDuty;
        var random = new SeededRandom(seed ^ 0x5EA11E5u);
        double Around(double centre) => centre * random.NextUniform(0.5f, 1.5f);
        double Within(double low, double high) => random.NextUniform((float)low, (float)high);

        double cartCoulomb = Around((harsh ? 0.08 : 0.03) * maxForce);
        double pivotCoulomb = Around((harsh ? 0.015 : 0.005) * gravityTorque);
        return new RealityEffects
        {
            CartCoulombNewtons = cartCoulomb,
            CartStictionNewtons = cartCoulomb * Within(1.2, harsh ? 1.8 : 1.4),
            PivotCoulombNewtonMeters = pivotCoulomb,
            PivotStictionNewtonMeters = pivotCoulomb * Within(1.2, harsh ? 1.8 : 1.4),
            PwmBits = 11,
            DeadZoneDuty = Math.Max(0.005, deadband) * Within(harsh ? 0.5 : 0.7, harsh ? 1.5 : 1.3),
            DirectionAsymmetry = harsh ? Within(-0.15, 0.15) : Within(-0.05, 0.05),
            SupplyFactor = harsh ? Within(0.85, 1.05) : Within(0.95, 1.05),
            SupplySagAtStall = Around(harsh ? 0.10 : 0.03),
            ElectricalTimeConstantSeconds = Around(harsh ? 0.002 : 0.0005),
            SensorLatencySeconds = harsh ? 0.002 : 0.001,
            SensorJitterSeconds = harsh ? 0.002 : 0.001,
            DisturbanceForceNewtons = Around((harsh ? 0.03 : 0.01) * maxForce),
            NoiseSeed = seed ^ 0xD157u,
        };
    }
}
