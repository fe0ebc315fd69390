using System;
using System.Collections.Generic;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.HostSim.Identification;

/// <summary>Normal-equation sums of a block of windows: AᵀA, and Aᵀb and bᵀb for every dead-zone grid value.</summary>
internal sealed record BlockSums(double[] Normal, double[] Rhs, double[] RhsSquares);

/// <summary>
/// The integrated regressors of every fitting window: one window per sample whose bump of half-width H
/// lies inside a segment.
/// </summary>
internal sealed class WindowSet
{
    private readonly List<double[]> _cartRows = new();   // [windows][7]: ∫φ''x, ∫φ''sinθ, 0, 0, -∫φ'x, ∫φ sgn(ẋ), 0
    private readonly List<double[]> _poleRows = new();   // [windows][7]: 0, ∫φ(cosθ ẍ - g sinθ) (by parts), ∫φ''θ, -∫φ'θ, 0, 0, ∫φ sgn(θ̇) (positions relative to the centre sample)
    private readonly List<double[]> _duties = new();     // [windows][2H]: the duty of each period in the window
    private readonly List<int> _segmentOf = new();
    private double[] _intervalWeights = [];              // [2H]: ∫ φ over each control period

    /// <summary>Index of T_c in the parameter vector.</summary>
    public const int PivotCoulombIndex = 6;

    public int Count => _cartRows.Count;

    public double MaxAbsDuty { get; private set; }

    /// <summary>Whether the pivot's Coulomb column is fitted; when not, its parameter is pinned to 0 (see <see cref="Accumulate"/>).</summary>
    public bool FitsPivotCoulomb { get; private set; }

    public static WindowSet Build(IReadOnlyList<LogSegment> segments, int halfWidth, double period, double gravity, bool fitPivotCoulomb)
    {
        var set = new WindowSet { FitsPivotCoulomb = fitPivotCoulomb };
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

                        // The Coulomb columns: ∫φ sgn(v) over the period, with the period's mean velocity and
                        // the model's saturated sign, so a cart or pole held by stiction (Δ = 0) adds nothing
                        // and the fitted coefficient means what CartPoleModel applies.
                        cart[5] += set._intervalWeights[k + h] * SaturatedSign(deltaX / period, CartPoleModel.CartCoulombSmoothingMetersPerSecond);
                        pole[6] += !fitPivotCoulomb ? 0 : set._intervalWeights[k + h] * SaturatedSign((segment.Theta[i + 1] - segment.Theta[i]) / period, CartPoleModel.PivotCoulombSmoothingRadiansPerSecond);
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

    /// <summary>The sign of <paramref name="velocity"/>, linear within ±<paramref name="smoothing"/> (as <see cref="CartPoleModel"/> applies Coulomb friction).</summary>
    public static double SaturatedSign(double velocity, double smoothing) => Math.Clamp(velocity / smoothing, -1.0, 1.0);

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

            if (!FitsPivotCoulomb)
            {
                // T_c's column is 0: a unit on its diagonal (per window, so any sum of blocks keeps it) and no
                // right-hand side pin it to exactly 0 without touching the other parameters.
                normal[PivotCoulombIndex * n + PivotCoulombIndex] += 1;
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
