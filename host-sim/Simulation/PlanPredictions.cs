using System;
using System.Collections.Generic;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>
/// The planner's predicted trajectory at each tick, for the replay: after a tick in which a
/// <see cref="RecedingHorizonController"/> planned, its plan (<see cref="RecedingHorizonController.PlannedAction"/>)
/// is played out from the tick's estimated state through the planner's own model and drive, one command
/// per control period as the controller would apply it if nothing changed (the warm start's linear
/// interpolation between plan entries, <see cref="RecedingHorizonController.KnotsPerTick"/>). The prediction
/// is read after the tick, outside its timing and allocation count, and does not touch the controller.
/// </summary>
public sealed class PlanPredictions
{
    /// <summary>Control periods between two predicted points.</summary>
    public const int TicksPerPoint = 2;

    /// <summary>Model steps per control period when playing a plan out.</summary>
    private const int StepsPerTick = 4;

    private readonly CartPoleModel _model;
    private readonly float _stallForceNewtons;
    private readonly float _backEmfDamping;
    private readonly float _periodSeconds;
    private readonly IPolicy _swingUp;
    private readonly IPolicy _balance;
    private readonly List<int> _offsets = new();
    private readonly List<float> _points = new();

    /// <param name="planner">The run's planner (its policies and the model parameters it plans with).</param>
    /// <param name="controllerProfile">The profile the controller was built from (its drive).</param>
    public PlanPredictions(PlannerStack planner, RigProfile controllerProfile)
    {
        _model = new CartPoleModel(planner.PlannerParameters);
        MotorParameters drive = controllerProfile.CopyMotor();
        _stallForceNewtons = drive.StallForcePerDutyNewtons();
        _backEmfDamping = drive.BackEmfDampingNewtonSecondsPerMeter();
        _periodSeconds = controllerProfile.ControlPeriodSeconds;
        _swingUp = planner.SwingUp;
        _balance = planner.Balance;
    }

    /// <summary>Ticks recorded.</summary>
    public int Count => _offsets.Count;

    /// <summary>
    /// Records tick <see cref="Count"/>: the prediction of the controller that ran in <paramref name="record"/>'s
    /// mode from its estimated state, or none (no plan: homing, an LQR, a fault).
    /// </summary>
    public void Record(ref TelemetryRecord record)
    {
        _offsets.Add(_points.Count);
        IPolicy? policy = record.Mode == SupervisorMode.SwingUp ? _swingUp : record.Mode == SupervisorMode.Balance ? _balance : null;
        if (policy is not RecedingHorizonController controller || record.ModelSteps <= 0)
        {
            return;
        }

        CartPoleState state = record.State;
        int ticks = (int)Math.Floor((controller.Horizon - 1) / controller.KnotsPerTick) + 1;
        float stepSeconds = _periodSeconds / StepsPerTick;
        for (int tick = 0; tick < ticks; tick++)
        {
            float position = tick * controller.KnotsPerTick;
            int index = Math.Min((int)position, controller.Horizon - 1);
            float low = controller.PlannedAction(index);
            float command = index + 1 < controller.Horizon ? low + (position - index) * (controller.PlannedAction(index + 1) - low) : low;
            for (int step = 0; step < StepsPerTick; step++)
            {
                _model.StepSemiImplicitEuler(ref state, command * _stallForceNewtons - _backEmfDamping * state.XDot, stepSeconds);
            }

            if ((tick + 1) % TicksPerPoint == 0)
            {
                _points.Add(state.X);
                _points.Add(state.Theta);
            }
        }
    }

    /// <summary>The predicted (x, theta) pairs of tick <paramref name="tick"/>, one per <see cref="TicksPerPoint"/> control periods from the tick on; empty without a plan.</summary>
    public ReadOnlySpan<float> PointsOf(int tick)
    {
        int start = _offsets[tick];
        int end = tick + 1 < _offsets.Count ? _offsets[tick + 1] : _points.Count;
        return System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_points).Slice(start, end - start);
    }
}
