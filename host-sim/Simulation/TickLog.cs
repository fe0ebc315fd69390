using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>One row per control tick, stored column-wise in arrays sized once for the run.</summary>
public sealed class TickLog
{
    public TickLog(int capacity)
    {
        TimeSeconds = new double[capacity];
        True = new CartPoleState[capacity];
        Estimated = new CartPoleState[capacity];
        ForceNewtons = new float[capacity];
        Action = new float[capacity];
        PlanCost = new float[capacity];
        PlanningMicroseconds = new double[capacity];
        ModelSteps = new int[capacity];
    }

    public int Count { get; private set; }

    public double[] TimeSeconds { get; }

    public CartPoleState[] True { get; }

    public CartPoleState[] Estimated { get; }

    public float[] ForceNewtons { get; }

    public float[] Action { get; }

    public float[] PlanCost { get; }

    public double[] PlanningMicroseconds { get; }

    public int[] ModelSteps { get; }

    public void Add(double timeSeconds, CartPoleState truth, CartPoleState estimate, float forceNewtons, float action, float planCost, double planningMicroseconds, int modelSteps)
    {
        int i = Count++;
        TimeSeconds[i] = timeSeconds;
        True[i] = truth;
        Estimated[i] = estimate;
        ForceNewtons[i] = forceNewtons;
        Action[i] = action;
        PlanCost[i] = planCost;
        PlanningMicroseconds[i] = planningMicroseconds;
        ModelSteps[i] = modelSteps;
    }
}

/// <summary>Plant states on the dm_control 0.01 s grid, with the action that was applied.</summary>
public sealed class RewardTrace
{
    public RewardTrace(int capacity)
    {
        TimeSeconds = new double[capacity];
        States = new CartPoleState[capacity];
        Actions = new float[capacity];
    }

    public int Count { get; private set; }

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
