using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.HostSim.Identification;

/// <summary>What identification knows beforehand and how it fits.</summary>
public sealed class IdentificationSettings
{
    /// <summary>
    /// The profile that supplies what logs cannot tell: the drive's stall force per duty (the force
    /// scale), its back-EMF damping (to split the total cart damping), the pole mass (unless
    /// <see cref="PoleMassKilograms"/> is given), the track, the encoders and the control period. Its
    /// other parameters are the nominal model the fit is compared with.
    /// </summary>
    public required RigProfile Prior { get; init; }

    /// <summary>The pole's mass as weighed, kg; null: the prior's.</summary>
    public double? PoleMassKilograms { get; init; }

    /// <summary>Fraction of each log's usable rows, at its end, kept out of the fit to measure prediction error; [0, 0.5].</summary>
    public double HoldOutFraction { get; init; } = 0.2;

    /// <summary>Half-width of the modulating function, in control periods (12 = 0.24 s at 50 Hz).</summary>
    public int WindowHalfWidth { get; init; } = 12;

    /// <summary>Block-bootstrap resamples for the standard errors.</summary>
    public int BootstrapResamples { get; init; } = 200;

    /// <summary>Length of a bootstrap block, s: longer than the residuals' correlation (a window is 2H + 1 = 25 samples, 0.5 s, wide).</summary>
    public double BootstrapBlockSeconds { get; init; } = 2.0;

    /// <summary>Seed of the bootstrap.</summary>
    public uint Seed { get; init; } = 1;

    /// <summary>Name of the identified profile; null: the prior's name + "-identified".</summary>
    public string? ProfileName { get; init; }

    /// <summary>Least usable data, s, over all logs.</summary>
    public double MinimumUsableSeconds { get; init; } = 10.0;

    /// <summary>
    /// Bootstrap standard error, relative to the estimate, beyond which a parameter counts as not
    /// identifiable from the logs: it is reported as such and the profile keeps the prior's value
    /// (e.g. dm-control's pivot damping of 2e-6 N·m·s/rad, which 60 s of motion cannot tell from 0).
    /// </summary>
    public double UnidentifiableRelativeError { get; init; } = 0.5;

    /// <summary>
    /// The drive's dead zone, duty, when it is known (measured apart, e.g. with a slow duty ramp on the lifted
    /// cart); null: searched with the other parameters. In excitation logs the duty and the cart velocity
    /// mostly share their sign, so a dead zone and the cart's Coulomb friction explain much the same data:
    /// searched together, part of the friction goes into the dead zone (esp32-rig with the typical cart
    /// friction, 60 s, seeds 1 and 2: F_c 19 and 13 % low, the dead zone 0.007 and 0.003 high; known: +4 and
    /// +2 %). [0, 0.45].
    /// </summary>
    public double? KnownDeadbandDuty { get; init; }

    /// <summary>
    /// Also fit the pivot's Coulomb torque T_c. Off by default: on a pole that swings, sgn(θ̇) and θ̇ move
    /// together, so T_c and b_p share one direction of the data and fitting both blurs b_p (esp32-rig, 60 s of
    /// excitation: b_p's standard error from 0.6 % to over 10 %); off, the profile keeps the prior's T_c. On a
    /// rig with pivot friction it is identifiable (the typical rig's 1 mN·m within 5 % from 60 s).
    /// </summary>
    public bool FitPivotCoulomb { get; init; }

    /// <summary>Largest accepted condition number of the column-scaled normal matrix (beyond it a parameter is not excited).</summary>
    public double MaximumConditionNumber { get; init; } = 1e8;
}
