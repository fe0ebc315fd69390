using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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

    /// <summary>Largest accepted condition number of the column-scaled normal matrix (beyond it a parameter is not excited).</summary>
    public double MaximumConditionNumber { get; init; } = 1e8;
}

/// <summary>One identified quantity with its uncertainty.</summary>
/// <param name="Name">camelCase name, e.g. "poleInertiaAboutPivotKilogramSquareMeters".</param>
/// <param name="Label">Human label with its symbol.</param>
/// <param name="Unit">SI unit.</param>
/// <param name="Value">The estimate.</param>
/// <param name="StandardError">Block-bootstrap standard error.</param>
/// <param name="Nominal">The prior's value.</param>
/// <param name="Identifiability">How it is identified ("from the logs", "given the pole mass", ...).</param>
/// <param name="Identified">False when the standard error exceeds <see cref="IdentificationSettings.UnidentifiableRelativeError"/> of the value: the logs do not determine it, and the profile keeps the prior's value.</param>
public sealed record ParameterEstimate(string Name, string Label, string Unit, double Value, double StandardError, double Nominal, string Identifiability, bool Identified = true);

/// <summary>Open-loop prediction errors on held-out data, RMS.</summary>
/// <param name="Model">"identified" or "nominal".</param>
/// <param name="OneStepCartMillimeters">Cart position error after one control period, mm.</param>
/// <param name="OneStepPoleMilliradians">Pole angle error after one control period, mrad.</param>
/// <param name="MultiStepCartMillimeters">Cart position error after <see cref="HeldOutEvaluation.MultiStepTicks"/> periods, mm.</param>
/// <param name="MultiStepPoleMilliradians">Pole angle error after that many periods, mrad.</param>
public sealed record PredictionError(string Model, double OneStepCartMillimeters, double OneStepPoleMilliradians, double MultiStepCartMillimeters, double MultiStepPoleMilliradians);

/// <summary>The outcome of identification.</summary>
public sealed record IdentificationResult(
    IReadOnlyList<string> Logs,
    int FitSamples,
    int HeldOutSamples,
    double FitSeconds,
    double ConditionNumber,
    IReadOnlyList<ParameterEstimate> Estimates,
    IReadOnlyList<ParameterEstimate> Known,
    IReadOnlyList<PredictionError> HeldOut,
    IReadOnlyList<string> Warnings,
    RigProfile Profile);

/// <summary>
/// Least-squares identification of the cart-pole's parameters from logs, by the modulating-function
/// (integral) form of the equations of motion.
/// </summary>
/// <remarks>
/// The equations of <see cref="CartPoleModel"/> with the drive F = S u_eff(d) - k ẋ (stall force S per
/// effective duty, back-EMF damping k, dead zone on the duty d) and sin(θ)'' = cos θ θ̈ - sin θ θ̇²:
/// <code>
///   (M+m) ẍ + m l (sin θ)'' + (b_c + k) ẋ = S u_eff(d)           (1)
///   m l (cos θ ẍ - g sin θ) + J θ̈ + b_p θ̇ = 0                    (2)
/// </code>
/// are linear in p = (M+m, m l, J, b_p, b_c + k) once the dead zone is fixed. Each equation is
/// multiplied by a smooth bump φ(t - t_c) = (1 - τ²)⁴, τ = (t - t_c) / (H T), and integrated; by parts,
/// ∫φ ẍ = ∫φ'' x and ∫φ ẋ = -∫φ' x, so the linear terms need only the measured positions (no
/// numerical differentiation: the bump is the low-pass filter, and it is zero-phase), and the duty,
/// held constant over each control period, is integrated against φ exactly. The positions enter relative
/// to the window's centre sample (the discrete sums of φ'' are not exactly 0, and an unwrapped pole angle
/// can be hundreds of radians). The one product term, cos θ ẍ, is integrated by parts as well,
/// ∫φ cos θ ẍ = -∫φ' cos θ dx - ∫φ ẋ d(cos θ), with the increments Δx and Δcos θ of each control period
/// and its mean velocity Δx / T, so that no acceleration is estimated (a 7-sample Savitzky-Golay ẍ,
/// used before, attenuates the fast cart motion by about 0.8 (ωT)², which put m l, J and b_p of the
/// quanser-ip02 4 to 6 % low). One pair of equations per sample (overlapping windows), each equation
/// divided by the RMS size of its terms.
/// <para>
/// Identifiability: motion data alone fix p only up to a common scale (multiply every force by c and
/// nothing changes), so the stall force S is taken as known (datasheet, the prior). b_c and k both
/// multiply ẋ and are identified only as their sum; the profile keeps the prior's k and assigns the rest
/// to b_c. m and l appear only as m l and M + m: with the pole's weighed mass m, M and l follow.
/// </para>
/// <para>
/// The dead zone enters u_eff nonlinearly: a 1-D grid search (step 0.002 of duty, refined by a parabola
/// through the three best points) minimizes the weighted residual relative to the weighted input
/// (1 - R², which a mere rescaling of the input leaves unchanged), solving the linear problem at each point. Standard errors come from a moving-block bootstrap (blocks of 2 s of windows, the dead
/// zone searched again in every resample), because the residuals of overlapping windows are
/// correlated and σ²(AᵀA)⁻¹ would understate them.
/// </para>
/// </remarks>
public static class SystemIdentifier
{
    /// <summary>Parameters of the linear problem, in order.</summary>
    public const int ParameterCount = 5;

    /// <summary>Dead-zone grid step, duty.</summary>
    public const double DeadbandStep = 0.002;

    private static readonly string[] LinearNames = ["M + m", "m l", "J", "b_p", "b_c + k"];

    /// <summary>Identifies the parameters from <paramref name="logs"/>.</summary>
    /// <exception cref="ArgumentException">The logs are too short, their control period differs from the prior's, or they do not excite every parameter (the message says which).</exception>
    public static IdentificationResult Identify(IReadOnlyList<IdentificationLog> logs, IdentificationSettings settings)
    {
        RigProfile prior = settings.Prior;
        CartPoleParameters nominal = prior.CopyParameters();
        MotorParameters motor = prior.CopyMotor();
        double period = prior.ControlPeriodSeconds;
        int h = settings.WindowHalfWidth;
        string files = string.Join(", ", logs.Select(l => l.Source));
        foreach (IdentificationLog log in logs)
        {
            if (Math.Abs(log.PeriodSeconds - period) > 0.01 * period)
            {
                throw new ArgumentException($"{log.Source}: its time step is {log.PeriodSeconds.ToString(CultureInfo.InvariantCulture)} s, the prior profile's control period {period.ToString(CultureInfo.InvariantCulture)} s; accepted: logs of the rig the prior describes.");
            }
        }

        // Split each log: the first (1 - f) of its usable rows for the fit, the rest held out.
        var fitSegments = new List<LogSegment>();
        var heldOutSegments = new List<LogSegment>();
        foreach (IdentificationLog log in logs)
        {
            int fitRows = (int)Math.Round(log.UsableRows * (1 - settings.HoldOutFraction));
            int seen = 0;
            foreach (LogSegment segment in log.Segments)
            {
                int inFit = Math.Clamp(fitRows - seen, 0, segment.Count);
                if (inFit > 0)
                {
                    fitSegments.Add(segment.Slice(0, inFit));
                }

                if (segment.Count - inFit > 0)
                {
                    heldOutSegments.Add(segment.Slice(inFit, segment.Count - inFit));
                }

                seen += segment.Count;
            }
        }

        int usable = logs.Sum(l => l.UsableRows);
        double usableSeconds = usable * period;
        if (usableSeconds < settings.MinimumUsableSeconds)
        {
            throw new ArgumentException($"{files}: too short: {usable} usable rows ({usableSeconds.ToString("0.00#", CultureInfo.InvariantCulture)} s in modes {string.Join("/", IdentificationLog.UsedModes)}); at least {settings.MinimumUsableSeconds.ToString(CultureInfo.InvariantCulture)} s ({Math.Ceiling(settings.MinimumUsableSeconds / period - 1e-4).ToString(CultureInfo.InvariantCulture)} rows) are needed (60 s of `run --task excite` recommended).");
        }

        var windows = WindowSet.Build(fitSegments, h, period, nominal.GravityMetersPerSecondSquared);
        if (windows.Count < 10 * ParameterCount)
        {
            throw new ArgumentException($"{files}: too short: only {windows.Count} fitting windows of {2 * h + 1} samples fit in the usable segments; accepted: runs of at least {settings.MinimumUsableSeconds} s without interruption.");
        }

        double stallForce = motor.StallForcePerDutyNewtons();
        double backEmf = motor.BackEmfDampingNewtonSecondsPerMeter();
        double poleMass = settings.PoleMassKilograms ?? nominal.PoleMassKilograms;
        double maxDuty = windows.MaxAbsDuty;
        int gridCount = Math.Max(2, (int)Math.Floor(Math.Min(0.45, 0.9 * maxDuty) / DeadbandStep) + 1);
        var grid = new double[gridCount];
        for (int i = 0; i < gridCount; i++)
        {
            grid[i] = i * DeadbandStep;
        }

        // Weights: each equation divided by the scale of its terms: the cart equation by the RMS of the
        // integrated drive force, the pole equation by the RMS of its gravity term at the prior's m l.
        // The pole equation is homogeneous, so weighting it by its residual (or by the fitted m l) would
        // pull m l, J and b_p towards the trivial solution 0: its weight stays fixed.
        double nominalMassLength = nominal.PoleMassKilograms * nominal.PivotToCenterOfMassMeters;
        double cartWeight = 1.0 / Math.Max(1e-12, windows.RmsInput(motor.DeadbandDuty) * stallForce);
        const int passes = 2; // the second with the cart weight at the fitted dead zone
        FitPoint best = default;
        double conditionNumber = 0;
        double poleWeight = 0;
        for (int pass = 0; pass < passes; pass++)
        {
            poleWeight = 1.0 / Math.Max(1e-12, windows.RmsPoleGravityTerm() * nominalMassLength);
            var blocks = new[] { windows.Accumulate(0, windows.Count, cartWeight, poleWeight, stallForce, grid) };
            conditionNumber = ConditionNumber(blocks[0].Normal, out double[] weakest);
            if (!(conditionNumber <= settings.MaximumConditionNumber))
            {
                string names = string.Join(", ", Enumerable.Range(0, ParameterCount).Where(i => Math.Abs(weakest[i]) > 0.3).Select(i => LinearNames[i]));
                throw new ArgumentException($"{files}: no excitation: the regressors are rank-deficient or ill-conditioned (condition number {conditionNumber:G3} > {settings.MaximumConditionNumber:G1}); the data do not tell apart {names}. Accepted: logs in which the cart moves back and forth and the pole swings, e.g. `run --task excite --duration 60`.");
            }

            best = Search(blocks, [0], grid) ?? throw new ArgumentException($"{files}: no excitation: the least-squares problem has no solution; accepted: logs from `run --task excite`.");
            cartWeight = 1.0 / Math.Max(1e-12, windows.RmsInput(best.Deadband) * stallForce);
        }

        // Block bootstrap with the final weights.
        int blockLength = Math.Max(1, (int)Math.Round(settings.BootstrapBlockSeconds / period));
        var blockList = new List<BlockSums>();
        foreach ((int start, int count) in windows.Blocks(blockLength))
        {
            blockList.Add(windows.Accumulate(start, count, cartWeight, poleWeight, stallForce, grid));
        }

        var random = new Random(unchecked((int)settings.Seed));
        var replicates = new List<double[]>();
        var pick = new int[blockList.Count];
        for (int r = 0; r < settings.BootstrapResamples; r++)
        {
            for (int b = 0; b < pick.Length; b++)
            {
                pick[b] = random.Next(blockList.Count);
            }

            FitPoint? point = Search(blockList.ToArray(), pick, grid);
            if (point is FitPoint p)
            {
                replicates.Add([.. p.Parameters, p.Deadband]);
            }
        }

        double[] standardErrors = new double[ParameterCount + 1];
        for (int i = 0; i <= ParameterCount; i++)
        {
            standardErrors[i] = replicates.Count > 1 ? StandardDeviation(replicates.Select(v => v[i])) : double.NaN;
        }

        double[] q = best.Parameters;
        var warnings = new List<string>();
        double cartMass = q[0] - poleMass;
        double length = q[1] / poleMass;
        double cartDamping = q[4] - backEmf;
        if (cartMass <= 0 || q[1] <= 0 || q[2] <= 0)
        {
            throw new ArgumentException($"{files}: the fit is not physical (M + m = {q[0]:G4} kg with m = {poleMass:G4} kg, m l = {q[1]:G4} kg·m, J = {q[2]:G4} kg·m²): the logs do not follow the cart-pole's equations with this prior's stall force; check the duty column and the prior profile.");
        }

        if (cartDamping < 0)
        {
            warnings.Add($"b_c + k = {q[4]:G4} N·s/m is below the prior's back-EMF damping k = {backEmf:G4} N·s/m: the profile's cart damping is set to 0; the drive's back-EMF is probably smaller than its datasheet says.");
            cartDamping = 0;
        }

        double inertia = q[2];
        if (inertia < poleMass * length * length)
        {
            warnings.Add($"J = {inertia:G4} kg·m² is below m l² = {poleMass * length * length:G4} kg·m² (a point mass): raised to m l²; check the pole mass.");
            inertia = poleMass * length * length;
        }

        // A parameter whose bootstrap standard error exceeds the threshold is not determined by the logs.
        bool Determined(double value, double standardError) => !(standardError > settings.UnidentifiableRelativeError * Math.Abs(value));
        bool[] identified = new bool[ParameterCount + 1];
        for (int i = 0; i < ParameterCount; i++)
        {
            identified[i] = Determined(q[i], standardErrors[i]);
        }

        identified[ParameterCount] = Determined(best.Deadband, standardErrors[ParameterCount]);
        for (int i = 0; i < 3; i++)
        {
            if (!identified[i])
            {
                warnings.Add($"{LinearNames[i]} = {q[i]:G4} has a standard error of {standardErrors[i]:G2}: the logs hardly determine it; excite the rig longer or harder.");
            }
        }

        double pivotDamping = Math.Max(0, q[3]);
        if (!identified[3])
        {
            pivotDamping = nominal.PivotDampingNewtonMeterSecondsPerRadian;
            warnings.Add($"b_p is not identifiable from these logs (estimate {q[3]:G3} ± {standardErrors[3]:G2} N·m·s/rad): the profile keeps the prior's {pivotDamping:G3}.");
        }

        if (!identified[4])
        {
            cartDamping = nominal.CartDampingNewtonSecondsPerMeter;
            warnings.Add($"b_c + k is not identifiable from these logs (estimate {q[4]:G3} ± {standardErrors[4]:G2} N·s/m): the profile keeps the prior's b_c = {cartDamping:G3}.");
        }

        double deadband = best.Deadband;
        if (!identified[ParameterCount])
        {
            deadband = motor.DeadbandDuty;
            warnings.Add($"the dead zone is not identifiable from these logs (estimate {best.Deadband:G3} ± {standardErrors[ParameterCount]:G2} duty): the profile keeps the prior's {deadband:G3}.");
        }
        var parameters = nominal.Clone();
        parameters.CartMassKilograms = (float)cartMass;
        parameters.PoleMassKilograms = (float)poleMass;
        parameters.PivotToCenterOfMassMeters = (float)length;
        parameters.PoleInertiaAboutPivotKilogramSquareMeters = (float)inertia;
        parameters.CartDampingNewtonSecondsPerMeter = (float)cartDamping;
        parameters.PivotDampingNewtonMeterSecondsPerRadian = (float)pivotDamping;
        MotorParameters identifiedMotor = motor.Clone();
        identifiedMotor.DeadbandDuty = (float)deadband;
        string name = settings.ProfileName ?? prior.Name + "-identified";
        var profile = new RigProfile(name, $"identified from {logs.Count} log(s) ({usableSeconds:F0} s) with {prior.Name}'s stall force", parameters, identifiedMotor,
            prior.CartCountsPerMeter, prior.PoleCountsPerRevolution, prior.ControlPeriodSeconds, prior.LimitSwitchOffsetMeters, prior.EndStopOffsetMeters);

        double nominalTotal = nominal.CartMassKilograms + nominal.PoleMassKilograms;
        const string fromLogs = "from the logs, with S known";
        const string givenMass = "from the logs, given the pole mass m";
        const string givenBackEmf = "from b_c + k, given the datasheet's k";
        var estimates = new List<ParameterEstimate>
        {
            new("totalMassKilograms", "total mass M + m", "kg", q[0], standardErrors[0], nominalTotal, fromLogs, identified[0]),
            new("poleMassLengthKilogramMeters", "pole m l", "kg·m", q[1], standardErrors[1], nominalMassLength, fromLogs, identified[1]),
            new("poleInertiaAboutPivotKilogramSquareMeters", "pole inertia J", "kg·m²", q[2], standardErrors[2], nominal.PoleInertiaAboutPivotKilogramSquareMeters, fromLogs, identified[2]),
            new("pivotDampingNewtonMeterSecondsPerRadian", "pivot damping b_p", "N·m·s/rad", q[3], standardErrors[3], nominal.PivotDampingNewtonMeterSecondsPerRadian, fromLogs, identified[3]),
            new("totalCartDampingNewtonSecondsPerMeter", "cart + back-EMF damping b_c + k", "N·s/m", q[4], standardErrors[4], nominal.CartDampingNewtonSecondsPerMeter + backEmf, fromLogs, identified[4]),
            new("deadbandDuty", "deadband", "duty", deadband, standardErrors[5], motor.DeadbandDuty, fromLogs, identified[ParameterCount]),
            new("cartMassKilograms", "cart mass M", "kg", cartMass, standardErrors[0], nominal.CartMassKilograms, givenMass, identified[0]),
            new("pivotToCenterOfMassMeters", "pivot to centre of mass l", "m", length, standardErrors[1] / poleMass, nominal.PivotToCenterOfMassMeters, givenMass, identified[1]),
            new("cartDampingNewtonSecondsPerMeter", "cart damping b_c", "N·s/m", q[4] - backEmf, standardErrors[4], nominal.CartDampingNewtonSecondsPerMeter, givenBackEmf, identified[4]),
        };
        var known = new List<ParameterEstimate>
        {
            new("stallForceNewtons", "stall force per duty S (the scale)", "N", stallForce, 0, stallForce, $"known: {prior.Name}'s drive (datasheet)"),
            new("backEmfDampingNewtonSecondsPerMeter", "back-EMF damping k", "N·s/m", backEmf, 0, backEmf, $"known: {prior.Name}'s drive (datasheet)"),
            new("poleMassKilograms", "pole mass m", "kg", poleMass, 0, nominal.PoleMassKilograms, settings.PoleMassKilograms.HasValue ? "known: --pole-mass (weighed)" : $"known: {prior.Name}'s (weighed)"),
        };

        var heldOut = new List<PredictionError>();
        if (heldOutSegments.Sum(s => s.Count) > HeldOutEvaluation.MultiStepTicks + HeldOutEvaluation.VelocityFitSamples + 2)
        {
            heldOut.Add(HeldOutEvaluation.Evaluate("identified", profile, heldOutSegments));
            heldOut.Add(HeldOutEvaluation.Evaluate("nominal", prior, heldOutSegments));
        }
        else
        {
            warnings.Add("no held-out evaluation: the held-out part of the logs is too short.");
        }

        return new IdentificationResult(logs.Select(l => l.Source).ToArray(), windows.Count, heldOutSegments.Sum(s => s.Count), usableSeconds,
            conditionNumber, estimates, known, heldOut, warnings, profile);
    }

    private static double StandardDeviation(IEnumerable<double> values)
    {
        double[] v = values.ToArray();
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
    }

    /// <summary>Condition number of the normal matrix scaled to a unit diagonal, and its weakest direction.</summary>
    private static double ConditionNumber(double[] normal, out double[] weakest)
    {
        int n = ParameterCount;
        var scaled = new double[n * n];
        weakest = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (!(normal[i * n + i] > 0))
            {
                weakest[i] = 1;
                return double.PositiveInfinity;
            }
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                scaled[i * n + j] = normal[i * n + j] / Math.Sqrt(normal[i * n + i] * normal[j * n + j]);
            }
        }

        var values = new double[n];
        var vectors = new double[n * n];
        SmallLinearAlgebra.SymmetricEigen(scaled, values, vectors);
        int min = 0;
        int max = 0;
        for (int i = 1; i < n; i++)
        {
            min = values[i] < values[min] ? i : min;
            max = values[i] > values[max] ? i : max;
        }

        for (int i = 0; i < n; i++)
        {
            weakest[i] = vectors[i * n + min];
        }

        return values[min] > 0 ? values[max] / values[min] : double.PositiveInfinity;
    }

    /// <summary>The best dead zone on the grid (refined by a parabola) and its parameters, for the sum of the picked blocks.</summary>
    private static FitPoint? Search(BlockSums[] blocks, int[] picks, double[] grid)
    {
        int n = ParameterCount;
        var normal = new double[n * n];
        foreach (int b in picks)
        {
            for (int i = 0; i < normal.Length; i++)
            {
                normal[i] += blocks[b].Normal[i];
            }
        }

        var rss = new double[grid.Length];
        var solutions = new double[grid.Length][];
        var rhs = new double[n];
        int bestIndex = -1;
        for (int g = 0; g < grid.Length; g++)
        {
            Array.Clear(rhs);
            double bb = 0;
            foreach (int b in picks)
            {
                for (int i = 0; i < n; i++)
                {
                    rhs[i] += blocks[b].Rhs[g * n + i];
                }

                bb += blocks[b].RhsSquares[g];
            }

            var solution = new double[n];
            if (!SmallLinearAlgebra.TrySolveSymmetric(normal, rhs, solution))
            {
                return null;
            }

            double explained = 0;
            for (int i = 0; i < n; i++)
            {
                explained += rhs[i] * solution[i];
            }

            // Relative residual: scaling the dead-zone input scales the whole solution and its residual
            // alike, so the raw residual would favour a dead zone that shrinks the input.
            rss[g] = (bb - explained) / bb;
            solutions[g] = solution;
            if (bestIndex < 0 || rss[g] < rss[bestIndex])
            {
                bestIndex = g;
            }
        }

        double deadband = grid[bestIndex];
        double[] parameters = solutions[bestIndex];
        if (bestIndex > 0 && bestIndex < grid.Length - 1)
        {
            // Vertex of the parabola through the best grid point and its neighbours; parameters interpolated linearly.
            double left = rss[bestIndex - 1];
            double centre = rss[bestIndex];
            double right = rss[bestIndex + 1];
            double curvature = left - 2 * centre + right;
            if (curvature > 0)
            {
                double offset = Math.Clamp(0.5 * (left - right) / curvature, -0.5, 0.5);
                deadband += offset * DeadbandStep;
                int neighbour = offset >= 0 ? bestIndex + 1 : bestIndex - 1;
                double fraction = Math.Abs(offset);
                parameters = new double[n];
                for (int i = 0; i < n; i++)
                {
                    parameters[i] = (1 - fraction) * solutions[bestIndex][i] + fraction * solutions[neighbour][i];
                }
            }
        }

        return new FitPoint(parameters, deadband);
    }

    private readonly record struct FitPoint(double[] Parameters, double Deadband);
}

/// <summary>Normal-equation sums of a block of windows: AᵀA, and Aᵀb and bᵀb for every dead-zone grid value.</summary>
internal sealed record BlockSums(double[] Normal, double[] Rhs, double[] RhsSquares);

/// <summary>
/// The integrated regressors of every fitting window: one window per sample whose bump of half-width H
/// lies inside a segment.
/// </summary>
internal sealed class WindowSet
{
    private readonly List<double[]> _cartRows = new();   // [windows][5]: ∫φ''x, ∫φ''sinθ, 0, 0, -∫φ'x
    private readonly List<double[]> _poleRows = new();   // [windows][5]: 0, ∫φ(cosθ ẍ - g sinθ) (by parts), ∫φ''θ, -∫φ'θ, 0 (positions relative to the centre sample)
    private readonly List<double[]> _duties = new();     // [windows][2H]: the duty of each period in the window
    private readonly List<int> _segmentOf = new();
    private double[] _intervalWeights = [];              // [2H]: ∫ φ over each control period

    public int Count => _cartRows.Count;

    public double MaxAbsDuty { get; private set; }

    public static WindowSet Build(IReadOnlyList<LogSegment> segments, int halfWidth, double period, double gravity)
    {
        var set = new WindowSet();
        int h = halfWidth;
        double width = h * period;
        // φ(τ) = (1 - τ²)⁴; dφ/dt = -8τ(1 - τ²)³ / (H T); d²φ/dt² = (1 - τ²)²(56τ² - 8) / (H T)².
        var phi = new double[2 * h + 1];
        var phiPrime = new double[2 * h + 1];
        var phiSecond = new double[2 * h + 1];
        for (int k = -h; k <= h; k++)
        {
            double tau = k / (double)h;
            double u = 1 - tau * tau;
            phi[k + h] = u * u * u * u;
            phiPrime[k + h] = -8 * tau * u * u * u / width;
            phiSecond[k + h] = u * u * (56 * tau * tau - 8) / (width * width);
        }

        // Antiderivative of (1 - τ²)⁴: τ - 4τ³/3 + 6τ⁵/5 - 4τ⁷/7 + τ⁹/9; the duty of period k acts on [t_k, t_k+1).
        static double Primitive(double t) => t - 4 * Math.Pow(t, 3) / 3 + 6 * Math.Pow(t, 5) / 5 - 4 * Math.Pow(t, 7) / 7 + Math.Pow(t, 9) / 9;
        set._intervalWeights = new double[2 * h];
        for (int k = -h; k < h; k++)
        {
            set._intervalWeights[k + h] = width * (Primitive((k + 1) / (double)h) - Primitive(k / (double)h));
        }

        // φ and dφ/dt at the midpoints of the control periods, for the product term (see below).
        var phiMid = new double[2 * h];
        var phiPrimeMid = new double[2 * h];
        for (int k = -h; k < h; k++)
        {
            double tau = (k + 0.5) / h;
            double u = 1 - tau * tau;
            phiMid[k + h] = u * u * u * u;
            phiPrimeMid[k + h] = -8 * tau * u * u * u / width;
        }

        for (int s = 0; s < segments.Count; s++)
        {
            LogSegment segment = segments[s];
            for (int c = h; c < segment.Count - h; c++)
            {
                var cart = new double[SystemIdentifier.ParameterCount];
                var pole = new double[SystemIdentifier.ParameterCount];
                var duties = new double[2 * h];
                // The positions enter ∫φ''x and ∫φ'x relative to the window's centre sample. The continuous
                // integrals of φ'' and φ' over the window are 0, so this changes nothing in theory; but the
                // sum Σ T φ''(t_k) over the samples is not exactly 0 (about -2e-3 /s for H = 12), and a pole
                // that has turned over many times sits at an angle of tens or hundreds of radians, whose
                // constant part would otherwise leak into J's regressor (dm-control: J 13 % low).
                double xCentre = segment.X[c];
                double thetaCentre = segment.Theta[c];
                for (int k = -h; k <= h; k++)
                {
                    int i = c + k;
                    double x = segment.X[i] - xCentre;
                    double theta = segment.Theta[i] - thetaCentre;
                    double sin = Math.Sin(segment.Theta[i]);
                    cart[0] += period * phiSecond[k + h] * x;
                    cart[1] += period * phiSecond[k + h] * sin;
                    cart[4] -= period * phiPrime[k + h] * x;
                    pole[1] -= period * phi[k + h] * gravity * sin;
                    pole[2] += period * phiSecond[k + h] * theta;
                    pole[3] -= period * phiPrime[k + h] * theta;
                    if (k < h)
                    {
                        // The product term by parts, so that no acceleration is estimated:
                        //   ∫φ cosθ ẍ dt = -∫(φ cosθ)' ẋ dt = -∫φ' cosθ dx - ∫φ d(cosθ) dx/dt,
                        // over each control period [t_i, t_i+1]: dx = Δx (exact), d(cosθ) = Δcosθ (exact),
                        // dx/dt = Δx / T (the period's mean velocity), φ, φ' and cosθ at the midpoint.
                        double deltaX = segment.X[i + 1] - segment.X[i];
                        double deltaCos = Math.Cos(segment.Theta[i + 1]) - Math.Cos(segment.Theta[i]);
                        double cosMid = Math.Cos(0.5 * (segment.Theta[i] + segment.Theta[i + 1]));
                        pole[1] -= phiPrimeMid[k + h] * cosMid * deltaX + phiMid[k + h] * deltaCos * deltaX / period;
                        duties[k + h] = segment.Duty[i];
                        set.MaxAbsDuty = Math.Max(set.MaxAbsDuty, Math.Abs(segment.Duty[i]));
                    }
                }

                set._cartRows.Add(cart);
                set._poleRows.Add(pole);
                set._duties.Add(duties);
                set._segmentOf.Add(s);
            }
        }

        return set;
    }

    /// <summary>The effective duty of the drive's dead zone: sign(d) (|d| - d0) / (1 - d0) beyond d0, else 0.</summary>
    public static double EffectiveDuty(double duty, double deadband)
    {
        double magnitude = Math.Abs(duty);
        return magnitude <= deadband ? 0 : Math.Sign(duty) * (magnitude - deadband) / (1 - deadband);
    }

    /// <summary>∫φ u_eff over window <paramref name="w"/>.</summary>
    public double Input(int w, double deadband)
    {
        double sum = 0;
        double[] duties = _duties[w];
        for (int k = 0; k < duties.Length; k++)
        {
            sum += _intervalWeights[k] * EffectiveDuty(duties[k], deadband);
        }

        return sum;
    }

    public double RmsInput(double deadband)
    {
        double sum = 0;
        for (int w = 0; w < Count; w++)
        {
            double u = Input(w, deadband);
            sum += u * u;
        }

        return Math.Sqrt(sum / Math.Max(1, Count));
    }

    public double RmsPoleGravityTerm()
    {
        double sum = 0;
        for (int w = 0; w < Count; w++)
        {
            sum += _poleRows[w][1] * _poleRows[w][1];
        }

        return Math.Sqrt(sum / Math.Max(1, Count));
    }

    /// <summary>Consecutive windows of one segment, at most <paramref name="length"/> per block.</summary>
    public IEnumerable<(int Start, int Count)> Blocks(int length)
    {
        int start = 0;
        while (start < Count)
        {
            int end = start;
            while (end < Count && end - start < length && _segmentOf[end] == _segmentOf[start])
            {
                end++;
            }

            yield return (start, end - start);
            start = end;
        }
    }

    /// <summary>Weighted normal-equation sums of windows [start, start + count) for every dead zone of <paramref name="grid"/>.</summary>
    public BlockSums Accumulate(int start, int count, double cartWeight, double poleWeight, double stallForce, double[] grid)
    {
        int n = SystemIdentifier.ParameterCount;
        var normal = new double[n * n];
        var rhs = new double[grid.Length * n];
        var squares = new double[grid.Length];
        double wc2 = cartWeight * cartWeight;
        double wp2 = poleWeight * poleWeight;
        for (int w = start; w < start + count; w++)
        {
            double[] cart = _cartRows[w];
            double[] pole = _poleRows[w];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    normal[i * n + j] += wc2 * cart[i] * cart[j] + wp2 * pole[i] * pole[j];
                }
            }

            for (int g = 0; g < grid.Length; g++)
            {
                double b = stallForce * Input(w, grid[g]);
                for (int i = 0; i < n; i++)
                {
                    rhs[g * n + i] += wc2 * cart[i] * b;
                }

                squares[g] += wc2 * b * b;
            }
        }

        return new BlockSums(normal, rhs, squares);
    }
}
