using System;
using System.Collections.Generic;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>
/// The per-tick bookkeeping of a closed-loop run, shared by the simulator (<see cref="ClosedLoopRun"/>,
/// where the Core's loop runs in process) and hardware-in-the-loop runs (where it runs on a device
/// behind a serial link): when the run ends (homing that never finishes, a fault during homing, the
/// task's duration after its first tick in SwingUp or Balance), the per-tick log, the supervisor modes,
/// the task's start (which resets the plant's track records), the plant's integration at its own step with
/// the dm_control reward trace on its 0.01 s grid, the allocation count, and the metrics at the end.
/// </summary>
/// <remarks>
/// Per tick <c>k</c> the caller does, in this order: <see cref="IsComplete"/>(k) (stop if true), read
/// the plant's true state, run (or obtain) the control tick, <see cref="RecordTick"/>, then integrate
/// the period with <see cref="AdvancePlant"/> (or <see cref="StepPlant"/> substep by substep when the
/// duty changes within the period).
/// </remarks>
public sealed class RunRecorder
{
    /// <summary>Ticks excluded from the allocation count while the JIT warms up.</summary>
    public const int WarmUpTicks = 10;

    private readonly RunSettings _settings;
    private readonly RigProfile _profile;
    private readonly RigHardware _rig;
    private readonly float _controlPeriod;
    private readonly int _taskTicks;
    private readonly int _maxHomingTicks;
    private readonly int _rewardEvery;
    private readonly TickLog _log;
    private readonly RewardTrace _trace;
    private readonly List<SupervisorMode> _modes;
    private long _allocatedBytes;
    private long _ticksCounted;
    private int _taskStartTick = -1;
    private SupervisorMode _lastMode;
    private FaultReason _lastFault;
    private int _overrunTicks;
    private int _longestOverrunStreak;

    /// <param name="settings">The run.</param>
    /// <param name="profile">The simulated rig's profile.</param>
    /// <param name="rig">The simulated rig (plant and drive).</param>
    /// <param name="initialMode">The supervisor's mode before the first tick (Ready if homed, else Idle).</param>
    public RunRecorder(RunSettings settings, RigProfile profile, RigHardware rig, SupervisorMode initialMode)
    {
        _settings = settings;
        _profile = profile;
        _rig = rig;
        _controlPeriod = profile.ControlPeriodSeconds;
        _taskTicks = (int)Math.Round(settings.DurationSeconds / _controlPeriod);
        _maxHomingTicks = (int)Math.Ceiling(new SupervisorSettings().HomingTimeoutSeconds / _controlPeriod) + 2;
        SubstepsPerTick = rig.StepsPerControlPeriod(_controlPeriod);
        _rewardEvery = (int)Math.Round(DmControlReward.StepSeconds / rig.Plant.StepSeconds);
        _log = new TickLog(_maxHomingTicks + _taskTicks);
        _trace = new RewardTrace(_taskTicks * SubstepsPerTick / _rewardEvery + 1);
        _modes = new List<SupervisorMode> { initialMode };
        _lastMode = initialMode;
    }

    /// <summary>Plant integration steps per control period.</summary>
    public int SubstepsPerTick { get; }

    /// <summary>Most ticks a run can take (homing timeout plus the task).</summary>
    public int MaxTicks => _maxHomingTicks + _taskTicks;

    /// <summary>The per-tick log so far (row k is tick k).</summary>
    public TickLog Log => _log;

    /// <summary>The first tick in SwingUp or Balance; -1 until then.</summary>
    public int TaskStartTick => _taskStartTick;

    /// <summary>The mode of the last recorded tick (the initial mode before the first).</summary>
    public SupervisorMode LastMode => _lastMode;

    /// <summary>False when the control tick runs elsewhere (a HIL device): the metrics then report NaN bytes per tick.</summary>
    public bool AllocationsMeasured { get; set; } = true;

    /// <summary>
    /// True when tick <paramref name="tick"/> is not to be run: homing has not finished within its
    /// timeout or ended in a fault, or the task has run for its duration.
    /// </summary>
    public bool IsComplete(int tick)
    {
        if (_taskStartTick < 0 && (tick >= _maxHomingTicks || _lastMode == SupervisorMode.Fault))
        {
            return true; // homing never finished
        }

        return _taskStartTick >= 0 && tick - _taskStartTick >= _taskTicks;
    }

    /// <summary>Counts the bytes the control tick <paramref name="tick"/> allocated (ignored during warm-up).</summary>
    public void CountAllocation(int tick, long bytes)
    {
        if (tick >= WarmUpTicks)
        {
            _allocatedBytes += bytes;
            _ticksCounted++;
        }
    }

    /// <summary>
    /// Records tick <paramref name="tick"/>: the plant's true state when the sensors were read and what the
    /// tick did. The first tick in SwingUp or Balance starts the task (and resets the plant's track records).
    /// </summary>
    public void RecordTick(int tick, CartPoleState truth, ref TelemetryRecord record)
    {
        if (_modes[^1] != record.Mode)
        {
            _modes.Add(record.Mode);
        }

        if (_taskStartTick < 0 && (record.Mode == SupervisorMode.SwingUp || record.Mode == SupervisorMode.Balance))
        {
            _taskStartTick = tick;
            _rig.Plant.ResetTrackRecords();
        }

        _log.Add(tick * (double)_controlPeriod, truth, ref record);
        if (record.OverrunStreak > 0)
        {
            _overrunTicks++;
            _longestOverrunStreak = Math.Max(_longestOverrunStreak, record.OverrunStreak);
        }

        _lastMode = record.Mode;
        _lastFault = record.Fault;
    }

    /// <summary>Integrates the plant over the period of tick <paramref name="tick"/> with the drive's present duty.</summary>
    /// <param name="tick">The tick whose period this is.</param>
    /// <param name="normalizedAction">The normalized command in effect, for the reward's control term.</param>
    public void AdvancePlant(int tick, float normalizedAction)
    {
        for (int s = 1; s <= SubstepsPerTick; s++)
        {
            StepPlant(tick, s, normalizedAction);
        }
    }

    /// <summary>
    /// One integration step of the period of tick <paramref name="tick"/>: substep <paramref name="substep"/>
    /// (1 to <see cref="SubstepsPerTick"/>) with the drive's present duty; samples the reward trace on its grid.
    /// </summary>
    public void StepPlant(int tick, int substep, float normalizedAction)
    {
        if (substep == 1 && _settings.PushAtSeconds is double pushAt && _taskStartTick >= 0
            && tick - _taskStartTick == (int)Math.Round(pushAt / _controlPeriod))
        {
            _rig.Plant.Push(_settings.PushRadiansPerSecond);
        }

        _rig.Step();
        if (_taskStartTick >= 0 && substep % _rewardEvery == 0)
        {
            double taskTime = (tick - _taskStartTick) * (double)_controlPeriod + substep * _rig.Plant.StepSeconds;
            _trace.Add(taskTime, _rig.Plant.State, normalizedAction);
        }
    }

    /// <summary>The finished run: metrics over the recorded ticks, with the planner the run was built with.</summary>
    public RunResult Finish(PlannerStack planner)
    {
        double homingSeconds = _taskStartTick < 0 ? _log.Count * _controlPeriod : _taskStartTick * (double)_controlPeriod;
        double allocated = !AllocationsMeasured ? double.NaN : _ticksCounted > 0 ? _allocatedBytes / (double)_ticksCounted : 0;
        RunMetrics metrics = RunMetrics.Compute(_trace, _taskStartTick >= 0, _rig.Plant.LeftTrack, _rig.Plant.MaxAbsCartPositionMeters,
            _log, _taskStartTick < 0 ? _log.Count : _taskStartTick, allocated, homingSeconds, _lastFault, _overrunTicks, _longestOverrunStreak);
        return new RunResult(_settings, _profile, planner.PlannerParameters, planner.Sizes, _log, metrics, _modes.ToArray());
    }
}
