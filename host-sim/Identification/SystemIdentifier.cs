using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.HostSim.Identification;

/// <summary>
/// Least-squares identification of the cart-pole's parameters from logs, by the modulating-function
/// (integral) form of the equations of motion.
/// </summary>
/// <remarks>
/// The equations of <see cref="CartPoleModel"/> with the drive F = S u_eff(d) - k ẋ (stall force S per
/// effective duty, back-EMF damping k, dead zone on the duty d) and sin(θ)'' = cos θ θ̈ - sin θ θ̇²:
/// <code>
///   (M+m) ẍ + m l (sin θ)'' + (b_c + k) ẋ + F_c sgn(ẋ) = S u_eff(d)           (1)
///   m l (cos θ ẍ - g sin θ) + J θ̈ + b_p θ̇ + T_c sgn(θ̇) = 0                    (2)
/// </code>
/// are linear in p = (M+m, m l, J, b_p, b_c + k, F_c, T_c) once the dead zone is fixed. F_c and T_c are
/// the Coulomb friction of the cart and the pivot; sgn is the model's sign, saturated linearly within
/// <see cref="CartPoleModel.CartCoulombSmoothingMetersPerSecond"/> (and the pivot's) of standstill and
/// taken of each control period's mean velocity, so samples where stiction holds the cart (no motion)
/// contribute nothing to F_c's column instead of a full ±1 that the held cart contradicts. Each equation is
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
    public const int ParameterCount = 7;

    /// <summary>Dead-zone grid step, duty.</summary>
    public const double DeadbandStep = 0.002;

    private static readonly string[] LinearNames = ["M + m", "m l", "J", "b_p", "b_c + k", "F_c", "T_c"];

    /// <summary>Identifies the parameters from <paramref name="logs"/>.</summary>
    /// <exception cref="ArgumentException">The logs are too short, their control period differs from the prior's, they do not excite every parameter (the message says which), or a known dead zone is outside [0, 0.45].</exception>
    public static IdentificationResult Identify(IReadOnlyList<IdentificationLog> logs, IdentificationSettings settings)
    {
        if (settings.KnownDeadbandDuty is double knownDeadbandDuty && !(knownDeadbandDuty >= 0 && knownDeadbandDuty <= 0.45))
        {
            throw new ArgumentException($"the known dead zone (--deadband) must be in [0, 0.45] duty; got {knownDeadbandDuty.ToString(CultureInfo.InvariantCulture)}.");
        }

        RigProfile prior = settings.Prior;
        CartPoleParameters nominal = prior.CopyParameters();
        MotorParameters motor = prior.CopyMotor();
        double period = prior.ControlPeriodSeconds;
        string files = string.Join(", ", logs.Select(l => l.Source));
        RequireThePriorsPeriod(logs, period);
        SplitForHoldOut(logs, settings.HoldOutFraction, out List<LogSegment> fitSegments, out List<LogSegment> heldOutSegments);

        int usable = logs.Sum(l => l.UsableRows);
        double usableSeconds = usable * period;
        if (usableSeconds < settings.MinimumUsableSeconds)
        {
            throw new ArgumentException($"{files}: too short: {usable} usable rows ({usableSeconds.ToString("0.00#", CultureInfo.InvariantCulture)} s in modes {string.Join("/", IdentificationLog.UsedModes)}); at least {settings.MinimumUsableSeconds.ToString(CultureInfo.InvariantCulture)} s ({Math.Ceiling(settings.MinimumUsableSeconds / period - 1e-4).ToString(CultureInfo.InvariantCulture)} rows) are needed (60 s of `run --task excite` recommended).");
        }

        int h = settings.WindowHalfWidth;
        var windows = WindowSet.Build(fitSegments, h, period, nominal.GravityMetersPerSecondSquared, settings.FitPivotCoulomb);
        if (windows.Count < 10 * ParameterCount)
        {
            throw new ArgumentException($"{files}: too short: only {windows.Count} fitting windows of {2 * h + 1} samples fit in the usable segments; accepted: runs of at least {settings.MinimumUsableSeconds} s without interruption.");
        }

        double[] grid = settings.KnownDeadbandDuty is double knownDeadband ? [knownDeadband] : DeadbandGrid(windows.MaxAbsDuty);
        WeightedFit fit = FitWeighted(windows, nominal, motor, grid, settings.MaximumConditionNumber, files);
        double[] standardErrors = BootstrapStandardErrors(windows, fit, motor.StallForcePerDutyNewtons(), grid, settings, period);

        var warnings = new List<string>();
        double poleMass = settings.PoleMassKilograms ?? nominal.PoleMassKilograms;
        PhysicalEstimate physical = ToPhysical(fit.Best, standardErrors, poleMass, nominal, motor, settings.UnidentifiableRelativeError, settings.FitPivotCoulomb, files, warnings);
        string name = settings.ProfileName ?? prior.Name + "-identified";
        RigProfile profile = physical.ToProfile(prior, name, $"identified from {logs.Count} log(s) ({usableSeconds:F0} s) with {prior.Name}'s stall force");

        List<PredictionError> heldOut = EvaluateHeldOut(profile, prior, heldOutSegments, warnings);
        return new IdentificationResult(logs.Select(l => l.Source).ToArray(), windows.Count, heldOutSegments.Sum(s => s.Count), usableSeconds,
            fit.ConditionNumber, Estimates(fit.Best, standardErrors, physical, nominal, motor, settings.FitPivotCoulomb), Known(settings, poleMass, nominal, motor), heldOut, warnings, profile);
    }

    /// <exception cref="ArgumentException">A log's time step differs from the prior's control period by more than 1 %.</exception>
    private static void RequireThePriorsPeriod(IReadOnlyList<IdentificationLog> logs, double period)
    {
        foreach (IdentificationLog log in logs)
        {
            if (Math.Abs(log.PeriodSeconds - period) > 0.01 * period)
            {
                throw new ArgumentException($"{log.Source}: its time step is {log.PeriodSeconds.ToString(CultureInfo.InvariantCulture)} s, the prior profile's control period {period.ToString(CultureInfo.InvariantCulture)} s; accepted: logs of the rig the prior describes.");
            }
        }
    }

    /// <summary>Splits each log: the first (1 - <paramref name="holdOutFraction"/>) of its usable rows for the fit, the rest held out.</summary>
    private static void SplitForHoldOut(IReadOnlyList<IdentificationLog> logs, double holdOutFraction, out List<LogSegment> fitSegments, out List<LogSegment> heldOutSegments)
    {
        fitSegments = new List<LogSegment>();
        heldOutSegments = new List<LogSegment>();
        foreach (IdentificationLog log in logs)
        {
            int fitRows = (int)Math.Round(log.UsableRows * (1 - holdOutFraction));
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
    }

    /// <summary>The dead zones searched: 0 up to 0.9 of the largest duty (at most 0.45) in steps of <see cref="DeadbandStep"/>, at least two.</summary>
    private static double[] DeadbandGrid(double maxAbsDuty)
    {
        int gridCount = Math.Max(2, (int)Math.Floor(Math.Min(0.45, 0.9 * maxAbsDuty) / DeadbandStep) + 1);
        var grid = new double[gridCount];
        for (int i = 0; i < gridCount; i++)
        {
            grid[i] = i * DeadbandStep;
        }

        return grid;
    }

    /// <summary>The fit on all windows, the equation weights it was made with and the conditioning of its normal matrix.</summary>
    private sealed record WeightedFit(FitPoint Best, double CartWeight, double PoleWeight, double ConditionNumber);

    /// <summary>
    /// Fits all windows twice: the second time with the cart equation weighted at the first fit's dead zone.
    /// </summary>
    /// <exception cref="ArgumentException">The regressors are ill-conditioned (a parameter is not excited) or the problem has no solution.</exception>
    private static WeightedFit FitWeighted(WindowSet windows, CartPoleParameters nominal, MotorParameters motor, double[] grid, double maximumConditionNumber, string files)
    {
        // Weights: each equation divided by the scale of its terms: the cart equation by the RMS of the
        // integrated drive force, the pole equation by the RMS of its gravity term at the prior's m l.
        // The pole equation is homogeneous, so weighting it by its residual (or by the fitted m l) would
        // pull m l, J and b_p towards the trivial solution 0: its weight stays fixed.
        double stallForce = motor.StallForcePerDutyNewtons();
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
            conditionNumber = DeadbandFit.ConditionNumber(blocks[0].Normal, out double[] weakest);
            if (!(conditionNumber <= maximumConditionNumber))
            {
                string names = string.Join(", ", Enumerable.Range(0, ParameterCount).Where(i => Math.Abs(weakest[i]) > 0.3).Select(i => LinearNames[i]));
                throw new ArgumentException($"{files}: no excitation: the regressors are rank-deficient or ill-conditioned (condition number {conditionNumber:G3} > {maximumConditionNumber:G1}); the data do not tell apart {names}. Accepted: logs in which the cart moves back and forth and the pole swings, e.g. `run --task excite --duration 60`.");
            }

            best = DeadbandFit.Search(blocks, [0], grid) ?? throw new ArgumentException($"{files}: no excitation: the least-squares problem has no solution; accepted: logs from `run --task excite`.");
            cartWeight = 1.0 / Math.Max(1e-12, windows.RmsInput(best.Deadband) * stallForce);
        }

        return new WeightedFit(best, cartWeight, poleWeight, conditionNumber);
    }

    /// <summary>
    /// Moving-block bootstrap with the fit's final weights: the standard deviation of each linear parameter
    /// and of the dead zone (the last entry) over the resamples, the dead zone searched again in each.
    /// </summary>
    private static double[] BootstrapStandardErrors(WindowSet windows, WeightedFit fit, double stallForce, double[] grid, IdentificationSettings settings, double period)
    {
        int blockLength = Math.Max(1, (int)Math.Round(settings.BootstrapBlockSeconds / period));
        var blockList = new List<BlockSums>();
        foreach ((int start, int count) in windows.Blocks(blockLength))
        {
            blockList.Add(windows.Accumulate(start, count, fit.CartWeight, fit.PoleWeight, stallForce, grid));
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

            FitPoint? point = DeadbandFit.Search(blockList.ToArray(), pick, grid);
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

        return standardErrors;
    }

    private static double StandardDeviation(IEnumerable<double> values)
    {
        double[] v = values.ToArray();
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
    }

    /// <summary>
    /// The physical parameters the fit implies, with what a profile needs: the pole mass splits M + m and
    /// m l, the prior's back-EMF splits b_c + k; values out of physical range are clamped and parameters the
    /// logs do not determine fall back to the prior's, each with a warning.
    /// </summary>
    /// <param name="Identified">Per linear parameter, then the dead zone: whether the logs determine it.</param>
    private sealed record PhysicalEstimate(CartPoleParameters Nominal, MotorParameters Motor, double CartMass, double PoleMass, double Length, double Inertia,
        double CartDamping, double PivotDamping, double CartCoulomb, double PivotCoulomb, double Deadband, bool[] Identified)
    {
        /// <summary>The profile of these parameters with the prior's drive (dead zone replaced), encoders, period and switches.</summary>
        public RigProfile ToProfile(RigProfile prior, string name, string description)
        {
            var parameters = Nominal.Clone();
            parameters.CartMassKilograms = (float)CartMass;
            parameters.PoleMassKilograms = (float)PoleMass;
            parameters.PivotToCenterOfMassMeters = (float)Length;
            parameters.PoleInertiaAboutPivotKilogramSquareMeters = (float)Inertia;
            parameters.CartDampingNewtonSecondsPerMeter = (float)CartDamping;
            parameters.PivotDampingNewtonMeterSecondsPerRadian = (float)PivotDamping;
            parameters.CartCoulombFrictionNewtons = (float)CartCoulomb;
            parameters.PivotCoulombFrictionNewtonMeters = (float)PivotCoulomb;
            MotorParameters identifiedMotor = Motor.Clone();
            identifiedMotor.DeadbandDuty = (float)Deadband;
            return new RigProfile(name, description, parameters, identifiedMotor,
                prior.CartCountsPerMeter, prior.PoleCountsPerRevolution, prior.ControlPeriodSeconds, prior.LimitSwitchOffsetMeters, prior.EndStopOffsetMeters);
        }
    }

    /// <exception cref="ArgumentException">The fit is not physical (a mass, m l or J not above 0).</exception>
    private static PhysicalEstimate ToPhysical(FitPoint best, double[] standardErrors, double poleMass, CartPoleParameters nominal, MotorParameters motor,
        double unidentifiableRelativeError, bool fitPivotCoulomb, string files, List<string> warnings)
    {
        double[] q = best.Parameters;
        double backEmf = motor.BackEmfDampingNewtonSecondsPerMeter();
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
        bool Determined(double value, double standardError) => !(standardError > unidentifiableRelativeError * Math.Abs(value));
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

        double cartCoulomb = Coulomb(q[5], standardErrors[5], identified[5], nominal.CartCoulombFrictionNewtons, "F_c", "N", "the cart's", warnings);
        double pivotCoulomb = fitPivotCoulomb
            ? Coulomb(q[6], standardErrors[6], identified[6], nominal.PivotCoulombFrictionNewtonMeters, "T_c", "N·m", "the pivot's", warnings)
            : nominal.PivotCoulombFrictionNewtonMeters;

        double deadband = best.Deadband;
        if (!identified[ParameterCount])
        {
            deadband = motor.DeadbandDuty;
            warnings.Add($"the dead zone is not identifiable from these logs (estimate {best.Deadband:G3} ± {standardErrors[ParameterCount]:G2} duty): the profile keeps the prior's {deadband:G3}.");
        }

        return new PhysicalEstimate(nominal, motor, cartMass, poleMass, length, inertia, cartDamping, pivotDamping, cartCoulomb, pivotCoulomb, deadband, identified);
    }

    /// <summary>
    /// A Coulomb coefficient for the profile: the estimate when the logs determine it and it is not negative;
    /// 0 when it is negative (no friction pushes); the prior's when the logs cannot tell it from its noise
    /// (as on a rig without dry friction, where the estimate is 0 within its standard error).
    /// </summary>
    private static double Coulomb(double estimate, double standardError, bool identified, double prior, string symbol, string unit, string whose, List<string> warnings)
    {
        if (!identified)
        {
            warnings.Add($"{symbol}, {whose} Coulomb friction, is not determined by these logs (estimate {estimate:G3} ± {standardError:G2} {unit}): the profile keeps the prior's {prior:G3}.");
            return prior;
        }

        if (estimate < 0)
        {
            warnings.Add($"{symbol} = {estimate:G3} {unit} is negative, which no friction gives: the profile's {whose} Coulomb friction is set to 0.");
            return 0;
        }

        return estimate;
    }

    /// <summary>The fitted quantities with their standard errors and the prior's values: the linear ones, then what the known quantities split them into.</summary>
    private static List<ParameterEstimate> Estimates(FitPoint best, double[] standardErrors, PhysicalEstimate physical, CartPoleParameters nominal, MotorParameters motor, bool fitPivotCoulomb)
    {
        double[] q = best.Parameters;
        bool[] identified = physical.Identified;
        double backEmf = motor.BackEmfDampingNewtonSecondsPerMeter();
        double poleMass = physical.PoleMass;
        double nominalTotal = nominal.CartMassKilograms + nominal.PoleMassKilograms;
        double nominalMassLength = nominal.PoleMassKilograms * nominal.PivotToCenterOfMassMeters;
        const string fromLogs = "from the logs, with S known";
        const string givenMass = "from the logs, given the pole mass m";
        const string givenBackEmf = "from b_c + k, given the datasheet's k";
        List<ParameterEstimate> estimates =
        [
            new("totalMassKilograms", "total mass M + m", "kg", q[0], standardErrors[0], nominalTotal, fromLogs, identified[0]),
            new("poleMassLengthKilogramMeters", "pole m l", "kg·m", q[1], standardErrors[1], nominalMassLength, fromLogs, identified[1]),
            new("poleInertiaAboutPivotKilogramSquareMeters", "pole inertia J", "kg·m²", q[2], standardErrors[2], nominal.PoleInertiaAboutPivotKilogramSquareMeters, fromLogs, identified[2]),
            new("pivotDampingNewtonMeterSecondsPerRadian", "pivot damping b_p", "N·m·s/rad", q[3], standardErrors[3], nominal.PivotDampingNewtonMeterSecondsPerRadian, fromLogs, identified[3]),
            new("totalCartDampingNewtonSecondsPerMeter", "cart + back-EMF damping b_c + k", "N·s/m", q[4], standardErrors[4], nominal.CartDampingNewtonSecondsPerMeter + backEmf, fromLogs, identified[4]),
            new("cartCoulombFrictionNewtons", "cart Coulomb friction F_c", "N", q[5], standardErrors[5], nominal.CartCoulombFrictionNewtons, fromLogs, identified[5]),
            new("pivotCoulombFrictionNewtonMeters", "pivot Coulomb friction T_c", "N·m", q[6], standardErrors[6], nominal.PivotCoulombFrictionNewtonMeters, fromLogs, identified[6]),
            new("deadbandDuty", "deadband", "duty", physical.Deadband, standardErrors[5], motor.DeadbandDuty, fromLogs, identified[ParameterCount]),
            new("cartMassKilograms", "cart mass M", "kg", physical.CartMass, standardErrors[0], nominal.CartMassKilograms, givenMass, identified[0]),
            new("pivotToCenterOfMassMeters", "pivot to centre of mass l", "m", physical.Length, standardErrors[1] / poleMass, nominal.PivotToCenterOfMassMeters, givenMass, identified[1]),
            new("cartDampingNewtonSecondsPerMeter", "cart damping b_c", "N·s/m", q[4] - backEmf, standardErrors[4], nominal.CartDampingNewtonSecondsPerMeter, givenBackEmf, identified[4]),
        ];
        if (!fitPivotCoulomb)
        {
            estimates.RemoveAll(e => e.Name == "pivotCoulombFrictionNewtonMeters");
        }

        return estimates;
    }

    /// <summary>What the fit took as known: the drive's stall force and back-EMF, and the pole mass.</summary>
    private static List<ParameterEstimate> Known(IdentificationSettings settings, double poleMass, CartPoleParameters nominal, MotorParameters motor)
    {
        string priorName = settings.Prior.Name;
        double stallForce = motor.StallForcePerDutyNewtons();
        double backEmf = motor.BackEmfDampingNewtonSecondsPerMeter();
        return
        [
            new("stallForceNewtons", "stall force per duty S (the scale)", "N", stallForce, 0, stallForce, $"known: {priorName}'s drive (datasheet)"),
            new("backEmfDampingNewtonSecondsPerMeter", "back-EMF damping k", "N·s/m", backEmf, 0, backEmf, $"known: {priorName}'s drive (datasheet)"),
            new("poleMassKilograms", "pole mass m", "kg", poleMass, 0, nominal.PoleMassKilograms, settings.PoleMassKilograms.HasValue ? "known: --pole-mass (weighed)" : $"known: {priorName}'s (weighed)"),
        ];
    }

    /// <summary>Prediction errors of the identified and the prior's model on the held-out segments, or a warning when they are too short.</summary>
    private static List<PredictionError> EvaluateHeldOut(RigProfile identified, RigProfile prior, List<LogSegment> heldOutSegments, List<string> warnings)
    {
        var heldOut = new List<PredictionError>();
        if (heldOutSegments.Sum(s => s.Count) > HeldOutEvaluation.MultiStepTicks + HeldOutEvaluation.VelocityFitSamples + 2)
        {
            heldOut.Add(HeldOutEvaluation.Evaluate("identified", identified, heldOutSegments));
            heldOut.Add(HeldOutEvaluation.Evaluate("nominal", prior, heldOutSegments));
        }
        else
        {
            warnings.Add("no held-out evaluation: the held-out part of the logs is too short.");
        }

        return heldOut;
    }
}
