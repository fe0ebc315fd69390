using System.Globalization;
using System.IO;
using System.Text;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Output;

/// <summary>
/// log.csv: one row per control tick from power-on. Columns (SI units, invariant culture):
/// time_s, mode (supervisor mode), the true state (x_m, x_dot_m_s, theta_rad, theta_dot_rad_s), the
/// controller's estimate (est_x_m, est_x_dot_m_s, est_theta_rad, est_theta_dot_rad_s), command (the
/// normalized drive command, [-1, 1]), force_n (the force the drive model expects from it at the
/// estimated speed), duty (signed PWM duty sent), plan_cost, planning_us, model_steps, theta_wrapped_rad.
/// theta_rad and est_theta_rad are not wrapped (0 upright, pi hanging, 2 pi after a full turn: they count
/// the turns, which identification needs); theta_wrapped_rad is the true angle wrapped to [-pi, pi].
/// </summary>
public static class CsvLogWriter
{
    /// <summary>The header line.</summary>
    public const string Header = "time_s,mode,x_m,x_dot_m_s,theta_rad,theta_dot_rad_s,est_x_m,est_x_dot_m_s,est_theta_rad,est_theta_dot_rad_s,command,force_n,duty,plan_cost,planning_us,model_steps,theta_wrapped_rad";

    /// <summary>Writes the log of <paramref name="run"/> to <paramref name="writer"/>.</summary>
    public static void Write(RunResult run, TextWriter writer)
    {
        TickLog log = run.Log;
        writer.WriteLine(Header);
        var line = new StringBuilder(256);
        for (int i = 0; i < log.Count; i++)
        {
            line.Clear();
            Append(line, log.TimeSeconds[i], "0.###");
            line.Append(',').Append(ModeNames.Of(log.Mode[i]));
            AppendState(line, log.True[i]);
            AppendState(line, log.Estimated[i]);
            Append(line, log.Command[i], "R");
            Append(line, log.ForceNewtons[i], "R");
            Append(line, log.Duty[i], "R");
            Append(line, log.PlanCost[i], "R");
            line.Append(',').Append(log.PlanningMicroseconds[i].ToString(CultureInfo.InvariantCulture));
            line.Append(',').Append(log.ModelSteps[i].ToString(CultureInfo.InvariantCulture));
            Append(line, (float)System.Math.IEEERemainder(log.True[i].Theta, 2 * System.Math.PI), "R");
            writer.WriteLine(line.ToString(1, line.Length - 1));
        }
    }

    private static void AppendState(StringBuilder line, CartPoleState state)
    {
        Append(line, state.X, "R");
        Append(line, state.XDot, "R");
        Append(line, state.Theta, "R");
        Append(line, state.ThetaDot, "R");
    }

    private static void Append(StringBuilder line, double value, string format)
    {
        line.Append(',').Append(value.ToString(format, CultureInfo.InvariantCulture));
    }

    private static void Append(StringBuilder line, float value, string format)
    {
        line.Append(',').Append(value.ToString(format, CultureInfo.InvariantCulture));
    }
}
