using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>One row per control tick, stored column-wise in arrays sized once for the run.</summary>
public sealed class TickLog
{
    public TickLog(int capacity)
    {
        TimeSeconds = new double[capacity];
        Mode = new SupervisorMode[capacity];
        True = new CartPoleState[capacity];
        Estimated = new CartPoleState[capacity];
        Command = new float[capacity];
        ForceNewtons = new float[capacity];
        Duty = new float[capacity];
        PlanCost = new float[capacity];
        PlanningMicroseconds = new int[capacity];
        ModelSteps = new int[capacity];
    }

    public int Count { get; private set; }

    /// <summary>Time since power-on, s.</summary>
    public double[] TimeSeconds { get; }

    public SupervisorMode[] Mode { get; }

    public CartPoleState[] True { get; }

    public CartPoleState[] Estimated { get; }

    /// <summary>Normalized drive command, [-1, 1].</summary>
    public float[] Command { get; }

    /// <summary>Force the command is expected to produce at the estimated speed, N (drive model).</summary>
    public float[] ForceNewtons { get; }

    /// <summary>Signed PWM duty sent to the drive.</summary>
    public float[] Duty { get; }

    public float[] PlanCost { get; }

    public int[] PlanningMicroseconds { get; }

    public int[] ModelSteps { get; }

    public void Add(double timeSeconds, CartPoleState truth, ref TelemetryRecord record)
    {
        int i = Count++;
        TimeSeconds[i] = timeSeconds;
        True[i] = truth;
        Replace(i, ref record);
    }

    /// <summary>Replaces what the tick of row <paramref name="index"/> did, keeping its time and true state (e.g. with telemetry that arrived late).</summary>
    public void Replace(int index, ref TelemetryRecord record)
    {
        int i = index;
        Mode[i] = record.Mode;
        Estimated[i] = record.State;
        Command[i] = record.Command;
        ForceNewtons[i] = record.ForceNewtons;
        Duty[i] = record.Duty;
        PlanCost[i] = record.PlanCost;
        PlanningMicroseconds[i] = record.PlanningMicroseconds;
        ModelSteps[i] = record.ModelSteps;
    }
}

/// <summary>Plant states on the dm_control 0.01 s grid during the task, with the normalized action applied.</summary>
public sealed class RewardTrace
{
    public RewardTrace(int capacity)
    {
        TimeSeconds = new double[capacity];
        States = new CartPoleState[capacity];
        Actions = new float[capacity];
    }

    public int Count { get; private set; }

    /// <summary>Time since the task started, s.</summary>
    public double[] TimeSeconds { get; }

    public CartPoleState[] States { get; }

    public float[] Actions { get; }

    public void Add(double timeSeconds, CartPoleState state, float action)
    {
        int i = Count++;
        TimeSeconds[i] = timeSeconds;
        States[i] = state;
        Actions[i] = action;
    }
}
