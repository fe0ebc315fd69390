using System;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>
/// One closed-loop run through the Core's <see cref="ControlLoop"/>, exactly as the firmware runs it:
/// each control period the loop reads the simulated rig's sensors, estimates, supervises, plans and
/// sets the motor duty, which the plant then integrates at its own step for one period. A run that does not
/// start homed first homes (Idle -> Homing -> Ready); the task's clock starts on the first tick in
/// SwingUp or Balance and runs for the requested duration. The tick is timed and its allocations counted.
/// </summary>
public static class ClosedLoopRun
{
    /// <summary>Ticks excluded from the allocation count while the JIT warms up.</summary>
    public const int WarmUpTicks = RunRecorder.WarmUpTicks;

    /// <summary>Runs <paramref name="settings"/> to completion and returns the per-tick log and the metrics.</summary>
    /// <param name="settings">The run.</param>
    /// <param name="configureRig">Called before the first tick and after every tick with the rig and the tick index, e.g. to inject faults.</param>
    /// <param name="planningClock">The clock the planning time is measured with; null: the host's <see cref="StopwatchClock"/>. It changes planning_us and the overrun count only.</param>
    /// <exception cref="ArgumentException">A setting is out of range (the message names it).</exception>
    /// <exception cref="OperationCanceledException">The process is being interrupted (<see cref="Output.Interruption"/>).</exception>
    /// <param name="progress">Called after every tick with the fraction of the task done, [0, 1]; negative while homing.</param>
    public static RunResult Execute(RunSettings settings, Action<RigHardware, int>? configureRig = null, Action<double>? progress = null,
        IMicrosecondClock? planningClock = null)
    {
        var simulation = new ControlledRig(settings, planningClock ?? new StopwatchClock());
        RigHardware rig = simulation.Rig;
        var recorder = new RunRecorder(settings, simulation.Profile, rig, simulation.Supervisor.Mode);
        var record = new TelemetryRecord();
        var predictions = new PlanPredictions(simulation.Planner, simulation.ControllerProfile);
        configureRig?.Invoke(rig, -1);

        try
        {
            for (int tick = 0; !recorder.IsComplete(tick); tick++)
            {
                // Ctrl+C ends a run within a tick (the caller's staged outputs unwind with the exception).
                Output.Interruption.ThrowIfRequested();
                CartPoleState truth = rig.Plant.State;
                long bytesBefore = GC.GetAllocatedBytesForCurrentThread();
                simulation.ControlTick(ref record);
                long bytesAfter = GC.GetAllocatedBytesForCurrentThread();
                recorder.CountAllocation(tick, bytesAfter - bytesBefore);
                recorder.RecordTick(tick, truth, ref record);
                predictions.Record(ref record);
                recorder.AdvancePlant(tick, record.Command);
                configureRig?.Invoke(rig, tick);
                progress?.Invoke(recorder.TaskStartTick < 0 ? -1
                    : (tick + 1 - recorder.TaskStartTick) * (double)simulation.Profile.ControlPeriodSeconds / settings.DurationSeconds);
            }

            RunResult result = recorder.Finish(simulation.Planner);
            return result with
            {
                Predictions = predictions,
                Metrics = result.Metrics with { DeclinedCatches = simulation.Supervisor.DeclinedCatches },
            };
        }
        finally
        {
            (rig.Plant as IDisposable)?.Dispose(); // MuJoCo's data lives outside the managed heap
        }
    }

    /// <summary>
    /// The start state of a homed run: the dm_control start distribution (every component perturbed by
    /// 0.01 N(0, 1)) around theta = pi for swing-up and excitation or theta = 0.2 rad for balance, seeded by the run's seed.
    /// </summary>
    public static CartPoleState InitialState(RunSettings settings)
    {
        var random = new SeededRandom(settings.Seed ^ 0x5EED5EEDu);
        double angle = settings.InitialAngleRadians ?? (settings.Task == ControlTask.Balance ? 0.2 : Math.PI);
        return new CartPoleState(
            0.01f * random.NextGaussian(),
            0.01f * random.NextGaussian(),
            (float)angle + 0.01f * random.NextGaussian(),
            0.01f * random.NextGaussian());
    }

    /// <summary>The state at power-on of a run that homes: at rest, pole hanging, cart anywhere within 80 % of the track (seeded).</summary>
    public static CartPoleState PowerOnState(RunSettings settings, RigProfile profile)
    {
        var random = new SeededRandom(settings.Seed ^ 0xB007B007u);
        float track = profile.CopyParameters().TrackHalfLengthMeters;
        return new CartPoleState(random.NextUniform(-0.8f, 0.8f) * track, 0f, FloatMath.Pi, 0f);
    }
}
