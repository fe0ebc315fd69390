using System;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>
/// The dm_control cart-pole reward per 0.01 s step, in [0, 1] (see shared reference cartpole.md):
/// upright x small_control x small_velocity x centered.
/// </summary>
public static class DmControlReward
{
    /// <summary>The dm_control control step, s; the reward is summed on this grid.</summary>
    public const double StepSeconds = 0.01;

    private static readonly double ToleranceScale = Math.Sqrt(-2.0 * Math.Log(0.1));

    /// <summary>Reward for cart position x (m), pole angle theta (rad, 0 upright), angular velocity (rad/s) and normalized control u.</summary>
    public static double Evaluate(double x, double theta, double thetaDot, double control)
    {
        double upright = (Math.Cos(theta) + 1.0) / 2.0;
        double centered = (1.0 + Tolerance(x, 2.0)) / 2.0;
        double smallControl = (4.0 + Math.Max(0.0, 1.0 - control * control)) / 5.0;
        double smallVelocity = (1.0 + Tolerance(thetaDot, 5.0)) / 2.0;
        return upright * smallControl * smallVelocity * centered;
    }

    /// <summary>dm_control's Gaussian tolerance with bounds (0, 0): 1 at zero, 0.1 at the margin.</summary>
    public static double Tolerance(double value, double margin)
    {
        double scaled = value * ToleranceScale / margin;
        return Math.Exp(-0.5 * scaled * scaled);
    }
}
