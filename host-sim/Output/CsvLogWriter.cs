using System.Globalization;
using System.IO;
using System.Text;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;
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
            AppendRow(line, log.TimeSeconds[i], log.True[i], log.Mode[i], log.Estimated[i], log.Command[i], log.ForceNewtons[i], log.Duty[i],
                log.PlanCost[i], log.PlanningMicroseconds[i], log.ModelSteps[i]);
            writer.WriteLine(line.ToString());
        }
    }

    /// <summary>
    /// Appends one row (no line end) for a tick at <paramref name="timeSeconds"/> that <paramref name="record"/>
    /// describes. A real rig has no true state: with <paramref name="truth"/> null the true-state columns
    /// (and theta_wrapped_rad, which is the true angle) are left empty.
    /// </summary>
    public static void AppendRow(StringBuilder line, double timeSeconds, CartPoleState? truth, ref TelemetryRecord record) =>
        AppendRow(line, timeSeconds, truth, record.Mode, record.State, record.Command, record.ForceNewtons, record.Duty,
            record.PlanCost, record.PlanningMicroseconds, record.ModelSteps);

    private static void AppendRow(StringBuilder line, double timeSeconds, CartPoleState? truth, SupervisorMode mode, CartPoleState estimate,
        float command, float forceNewtons, float duty, float planCost, int planningMicroseconds, int modelSteps)
    {
        line.Append(timeSeconds.ToString("0.###", CultureInfo.InvariantCulture));
        line.Append(',').Append(ModeNames.Of(mode));
        if (truth is CartPoleState known)
        {
            AppendState(line, known);
        }
        else
        {
            line.Append(",,,,");
        }

        AppendState(line, estimate);
        Append(line, command, "R");
        Append(line, forceNewtons, "R");
        Append(line, duty, "R");
        Append(line, planCost, "R");
        line.Append(',').Append(planningMicroseconds.ToString(CultureInfo.InvariantCulture));
        line.Append(',').Append(modelSteps.ToString(CultureInfo.InvariantCulture));
        if (truth is CartPoleState wrapped)
        {
            Append(line, (float)System.Math.IEEERemainder(wrapped.Theta, 2 * System.Math.PI), "R");
        }
        else
        {
            line.Append(',');
        }
    }

    private static void AppendState(StringBuilder line, CartPoleState state)
    {
        Append(line, state.X, "R");
        Append(line, state.XDot, "R");
        Append(line, state.Theta, "R");
        Append(line, state.ThetaDot, "R");
    }

    private static void Append(StringBuilder line, float value, string format)
    {
        line.Append(',').Append(value.ToString(format, CultureInfo.InvariantCulture));
    }
}
