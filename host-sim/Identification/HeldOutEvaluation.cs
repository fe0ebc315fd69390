using System;
using System.Collections.Generic;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Identification;

/// <summary>
/// Open-loop prediction error of a profile on held-out log data: from the logged state at tick k
/// (positions as logged, velocities from a centred Savitzky-Golay fit over 7 samples), the
/// simulator's own plant and drive (<see cref="SimulatedRig"/>: RK4 at 1 kHz, dead zone, back-EMF)
/// replay the logged duties, and the predicted positions are compared with the logged ones one
/// control period later and <see cref="MultiStepTicks"/> periods later.
/// </summary>
public static class HeldOutEvaluation
{
    /// <summary>Horizon of the multi-step prediction, control periods (0.5 s at 50 Hz).</summary>
    public const int MultiStepTicks = 25;

    /// <summary>Ticks between the starts of multi-step predictions.</summary>
    public const int MultiStepStride = 5;

    /// <summary>RMS one-step and multi-step errors of <paramref name="profile"/> on <paramref name="segments"/>.</summary>
    public static PredictionError Evaluate(string label, RigProfile profile, IReadOnlyList<LogSegment> segments)
    {
        int q = SystemIdentifier.DerivativeHalfWidth;
        double period = profile.ControlPeriodSeconds;
        double squaresOne = 0;
        double squaresOneTheta = 0;
        int countOne = 0;
        double squaresMulti = 0;
        double squaresMultiTheta = 0;
        int countMulti = 0;
        foreach (LogSegment segment in segments)
        {
            for (int k = q; k < segment.Count - q - 1; k++)
            {
                CartPoleState start = StateAt(segment, k, period);
                (double x1, double theta1) = Predict(profile, start, segment, k, 1);
                squaresOne += Square(x1 - segment.X[k + 1]);
                squaresOneTheta += Square(theta1 - segment.Theta[k + 1]);
                countOne++;
                if ((k - q) % MultiStepStride == 0 && k + MultiStepTicks < segment.Count)
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

    /// <summary>The logged state at sample <paramref name="k"/>, velocities by a quadratic Savitzky-Golay fit: Σ j y_{k+j} / (T Σ j²).</summary>
    private static CartPoleState StateAt(LogSegment segment, int k, double period)
    {
        int q = SystemIdentifier.DerivativeHalfWidth;
        double sumSquares = 0;
        double xDot = 0;
        double thetaDot = 0;
        for (int j = -q; j <= q; j++)
        {
            sumSquares += j * j;
            xDot += j * segment.X[k + j];
            thetaDot += j * segment.Theta[k + j];
        }

        return new CartPoleState((float)segment.X[k], (float)(xDot / (sumSquares * period)), (float)segment.Theta[k], (float)(thetaDot / (sumSquares * period)));
    }

    private static (double X, double Theta) Predict(RigProfile profile, CartPoleState start, LogSegment segment, int k, int ticks)
    {
        var rig = new SimulatedRig(profile, start, countsZeroAtOrigin: true);
        int substeps = RigSimulation.SubstepsPerControlPeriod(profile);
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
