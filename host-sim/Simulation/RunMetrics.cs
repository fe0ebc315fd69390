using System;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>Figures of merit of one run.</summary>
public sealed record RunMetrics(
    bool Success,
    double? TimeToUprightSeconds,
    double DmControlReturn,
    double MaxAbsCartPositionMeters,
    bool LeftTrack,
    double ModelStepsPerTick,
    int ModelStepsPerTickMax,
    double PlanningMicrosecondsMedian,
    double PlanningMicrosecondsP99,
    double AllocatedBytesPerTick,
    double ControlEffort,
    double HomingSeconds,
    FaultReason Fault,
    int PlanningOverruns,
    int LongestOverrunStreak)
{
    /// <summary>
    /// Hand-overs to the balance controller the catch check declined (the pole passed the top and the swing-up went
    /// on; see the Core's CatchCheck); 0 for planners without one, and for HIL runs, whose device decides.
    /// </summary>
    public int DeclinedCatches { get; init; }

    /// <summary>|theta| (wrapped) below this counts as upright, rad.</summary>
    public const double UprightAngleRadians = 0.2;

    /// <summary>|thetaDot| below this counts as settled, rad/s.</summary>
    public const double UprightAngularVelocity = 2.0;

    /// <summary>The upright region must hold for at least this long at the end of the run, s.</summary>
    public const double RequiredHoldSeconds = 3.0;

    /// <summary>
    /// Success: the task started (homing finished), the cart never left the usable track during the
    /// task, and from some time on (the time to upright) the pole stays upright and settled until the
    /// end of the run, for at least the last 3 s. Checked on the plant's true state every 0.01 s.
    /// Planning figures cover the ticks from <paramref name="taskStartIndex"/> on; <paramref name="planningOverruns"/>
    /// (ticks whose planning took longer than the loop's budget) and <paramref name="longestOverrunStreak"/> the whole run.
    /// </summary>
    public static RunMetrics Compute(RewardTrace trace, bool taskStarted, bool leftTrack, double maxAbsCartPosition, TickLog log,
        int taskStartIndex, double allocatedBytesPerTick, double homingSeconds, FaultReason fault, int planningOverruns, int longestOverrunStreak)
    {
        double dmReturn = 0;
        int firstOfFinalStretch = trace.Count;
        for (int i = 0; i < trace.Count; i++)
        {
            CartPoleState s = trace.States[i];
            dmReturn += DmControlReward.Evaluate(s.X, s.Theta, s.ThetaDot, trace.Actions[i]);
        }

        for (int i = trace.Count - 1; i >= 0; i--)
        {
            if (!IsUpright(trace.States[i]))
            {
                break;
            }

            firstOfFinalStretch = i;
        }

        double endTime = trace.Count > 0 ? trace.TimeSeconds[trace.Count - 1] : 0;
        double? timeToUpright = null;
        if (firstOfFinalStretch < trace.Count)
        {
            // The stretch starts one sample after the last violation; time zero if it never was violated.
            double start = firstOfFinalStretch == 0 ? 0 : trace.TimeSeconds[firstOfFinalStretch];
            if (endTime - start >= RequiredHoldSeconds - 1e-9)
            {
                timeToUpright = start;
            }
        }

        bool success = taskStarted && timeToUpright.HasValue && !leftTrack;

        // Planning time over the ticks in which a planner ran (policies like the LQR take none).
        int taskTicks = log.Count - taskStartIndex;
        var planning = new System.Collections.Generic.List<double>(taskTicks);
        double steps = 0;
        int maxSteps = 0;
        double effort = 0;
        for (int i = taskStartIndex; i < log.Count; i++)
        {
            if (log.ModelSteps[i] > 0)
            {
                planning.Add(log.PlanningMicroseconds[i]);
            }

            steps += log.ModelSteps[i];
            maxSteps = Math.Max(maxSteps, log.ModelSteps[i]);
            effort += log.Duty[i] * (double)log.Duty[i];
        }

        double[] planningMicroseconds = planning.ToArray();
        return new RunMetrics(
            success,
            timeToUpright,
            dmReturn,
            maxAbsCartPosition,
            leftTrack,
            taskTicks > 0 ? steps / taskTicks : 0,
            maxSteps,
            Percentile(planningMicroseconds, 0.5),
            Percentile(planningMicroseconds, 0.99),
            allocatedBytesPerTick,
            taskTicks > 0 ? effort / taskTicks : 0,
            homingSeconds,
            fault,
            planningOverruns,
            longestOverrunStreak);
    }

    /// <summary>True when |theta| (wrapped to [-pi, pi]) &lt; 0.2 rad and |thetaDot| &lt; 2 rad/s.</summary>
    public static bool IsUpright(CartPoleState state)
    {
        double wrapped = Math.IEEERemainder(state.Theta, 2 * Math.PI);
        return Math.Abs(wrapped) < UprightAngleRadians && Math.Abs(state.ThetaDot) < UprightAngularVelocity;
    }

    /// <summary>Percentile by linear interpolation between order statistics; <paramref name="values"/> is sorted in place.</summary>
    public static double Percentile(double[] values, double fraction)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        Array.Sort(values);
        double position = fraction * (values.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, values.Length - 1);
        return values[lower] + (position - lower) * (values[upper] - values[lower]);
    }
}

/// <summary>A finished run: its settings, the planner's model, the per-tick log and the metrics.</summary>
public sealed record RunResult(RunSettings Settings, RigProfile Profile, CartPoleParameters PlannerParameters, PlannerSizes Planner, TickLog Log, RunMetrics Metrics, SupervisorMode[] Modes)
{
    /// <summary>The link and device figures of a hardware-in-the-loop run; null for a simulation.</summary>
    public EmbeddedMpc.HostSim.Hil.HilReport? Hil { get; init; }

    /// <summary>The planner's predicted trajectory at each tick (row k is tick k); null where the plan is not visible (a HIL device plans).</summary>
    public PlanPredictions? Predictions { get; init; }

    /// <summary>Per-tick link records of a hardware-in-the-loop run (row k is tick k); null for a simulation.</summary>
    public EmbeddedMpc.HostSim.Hil.HilTickLink[]? Link { get; init; }
}
