using System;
using System.Collections.Generic;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Identification;

/// <summary>
/// Open-loop prediction error of a profile on held-out log data: from the logged state at tick k
/// (positions as logged, velocities from a causal fit over that sample and the 6 before it, so that no
/// sample after k enters the prediction's start), the
/// simulator's own plant and drive (<see cref="RigHardware"/>: RK4 at 1 kHz, dead zone, back-EMF)
/// replay the logged duties, and the predicted positions are compared with the logged ones one
/// control period later and <see cref="MultiStepTicks"/> periods later.
/// </summary>
public static class HeldOutEvaluation
{
    /// <summary>Horizon of the multi-step prediction, control periods (0.5 s at 50 Hz).</summary>
    public const int MultiStepTicks = 25;

    /// <summary>Ticks between the starts of multi-step predictions.</summary>
    public const int MultiStepStride = 5;

    /// <summary>Samples of the causal velocity fit at a prediction's start: the start and the 6 before it.</summary>
    public const int VelocityFitSamples = 7;

    // [VelocityFitSamples]: weights w_j, j = 0 for the oldest sample, of the slope at the newest sample of
    // the least-squares quadratic through the samples: ẏ_k = Σ w_j y_{k-n+1+j} / T.
    private static readonly double[] s_velocityWeights = BackwardSlopeWeights(VelocityFitSamples);

    /// <summary>RMS one-step and multi-step errors of <paramref name="profile"/> on <paramref name="segments"/>.</summary>
    public static PredictionError Evaluate(string label, RigProfile profile, IReadOnlyList<LogSegment> segments)
    {
        int first = VelocityFitSamples - 1;
        double period = profile.ControlPeriodSeconds;
        double squaresOne = 0;
        double squaresOneTheta = 0;
        int countOne = 0;
        double squaresMulti = 0;
        double squaresMultiTheta = 0;
        int countMulti = 0;
        foreach (LogSegment segment in segments)
        {
            for (int k = first; k < segment.Count - 1; k++)
            {
                CartPoleState start = StateAt(segment, k, period);
                (double x1, double theta1) = Predict(profile, start, segment, k, 1);
                squaresOne += Square(x1 - segment.X[k + 1]);
                squaresOneTheta += Square(theta1 - segment.Theta[k + 1]);
                countOne++;
                if ((k - first) % MultiStepStride == 0 && k + MultiStepTicks < segment.Count)
                {
                    (double xn, double thetaN) = Predict(profile, start, segment, k, MultiStepTicks);
                    squaresMulti += Square(xn - segment.X[k + MultiStepTicks]);
                    squaresMultiTheta += Square(thetaN - segment.Theta[k + MultiStepTicks]);
                    countMulti++;
                }
            }
        }

        return new PredictionError(label,
            1e3 * Math.Sqrt(squaresOne / Math.Max(1, countOne)), 1e3 * Math.Sqrt(squaresOneTheta / Math.Max(1, countOne)),
            countMulti > 0 ? 1e3 * Math.Sqrt(squaresMulti / countMulti) : double.NaN,
            countMulti > 0 ? 1e3 * Math.Sqrt(squaresMultiTheta / countMulti) : double.NaN);
    }

    private static double Square(double value) => value * value;

    /// <summary>
    /// The logged state at sample <paramref name="k"/>: positions as logged, velocities from samples
    /// k - 6 .. k only (a causal quadratic fit, its slope at k), as a controller would estimate them.
    /// </summary>
    private static CartPoleState StateAt(LogSegment segment, int k, double period)
    {
        int oldest = k - VelocityFitSamples + 1;
        double xDot = 0;
        double thetaDot = 0;
        for (int j = 0; j < VelocityFitSamples; j++)
        {
            xDot += s_velocityWeights[j] * segment.X[oldest + j];
            thetaDot += s_velocityWeights[j] * segment.Theta[oldest + j];
        }

        return new CartPoleState((float)segment.X[k], (float)(xDot / period), (float)segment.Theta[k], (float)(thetaDot / period));
    }

    /// <summary>
    /// Weights of the slope, at the newest of <paramref name="count"/> equally spaced samples (unit spacing),
    /// of the least-squares quadratic through them: the row of (VᵀV)⁻¹Vᵀ for the linear coefficient, with
    /// V = [1, s, s²] and s = j - (count - 1) (0 at the newest sample).
    /// </summary>
    private static double[] BackwardSlopeWeights(int count)
    {
        var normal = new double[9];
        for (int j = 0; j < count; j++)
        {
            double s = j - (count - 1);
            double[] row = [1, s, s * s];
            for (int a = 0; a < 3; a++)
            {
                for (int b = 0; b < 3; b++)
                {
                    normal[a * 3 + b] += row[a] * row[b];
                }
            }
        }

        var weights = new double[count];
        var unit = new double[] { 0, 1, 0 };
        var slopeRow = new double[3];
        if (!SmallLinearAlgebra.TrySolveSymmetric(normal, unit, slopeRow))
        {
            throw new InvalidOperationException("the quadratic fit needs at least 3 samples");
        }

        // slope = e₂ᵀ (VᵀV)⁻¹ Vᵀ y = Σ_j (slopeRow · v_j) y_j, (VᵀV)⁻¹ being symmetric.
        for (int j = 0; j < count; j++)
        {
            double s = j - (count - 1);
            weights[j] = slopeRow[0] + slopeRow[1] * s + slopeRow[2] * s * s;
        }

        return weights;
    }

    private static (double X, double Theta) Predict(RigProfile profile, CartPoleState start, LogSegment segment, int k, int ticks)
    {
        var rig = new RigHardware(profile, start, countsZeroAtOrigin: true);
        int substeps = ControlledRig.SubstepsPerControlPeriod(profile);
        for (int t = 0; t < ticks; t++)
        {
            rig.SetDuty((float)segment.Duty[k + t]);
            for (int s = 0; s < substeps; s++)
            {
                rig.Step();
            }
        }

        return (rig.Plant.State.X, rig.Plant.State.Theta);
    }
}
