using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Hil;

// HilRun: Real-time timing: readings on the wall clock, each period integrated from what arrived; and the link cut (a test aid).
public sealed partial class HilRun
{
    private (HilEnd End, string? Error) RunRealTime()
    {
        var reading = new SensorReading();
        long t0 = Stopwatch.GetTimestamp() + _periodTicks;
        _lastEventTimestamp = t0;
        for (int tick = 0; ; tick++)
        {
            long deadline = t0 + tick * _periodTicks;
            WaitUntil(deadline);
            if (tick > 0)
            {
                string? disagreement = FinishPeriod(tick - 1, deadline - _periodTicks, deadline);
                if (disagreement is not null)
                {
                    return (HilEnd.Refused, disagreement);
                }
            }

            if (_recorder.IsComplete(tick))
            {
                return (HilEnd.Completed, null);
            }

            if (_link.IsClosed)
            {
                return (HilEnd.LinkFailed, $"the serial port closed at tick {tick}");
            }

            if (tick > 0 && Stopwatch.GetTimestamp() - _lastEventTimestamp > HostLinkTimeoutMilliseconds * Stopwatch.Frequency / 1000)
            {
                return (HilEnd.LinkFailed, $"link lost: no valid frame from the device for {HostLinkTimeoutMilliseconds} ms (tick {tick})");
            }

            if (CutDue(tick))
            {
                return CutLink(tick, deadline);
            }

            _truth[tick] = _rig.Plant.State;
            _rig.Read(ref reading);
            SendReadings(tick, ref reading);
            _scheduleError[tick] = (_sentTimestamp[tick] - deadline) * 1e6 / Stopwatch.Frequency;
        }
    }

    // Logs tick `tick` and integrates its period [start, end) from the frames that arrived before `end`.
    private string? FinishPeriod(int tick, long start, long end)
    {
        var changes = new List<(long Timestamp, float Duty, int Tick)>();
        while (NextEventBefore(end, out LinkEvent e))
        {
            int applied = _appliedTick;
            bool faultBefore = _faultTimestamp != 0;
            Handle(e, tick);
            if (_appliedTick != applied)
            {
                changes.Add((e.Timestamp, _commandDuty[_appliedTick], _appliedTick));
            }
            else if (!faultBefore && _faultTimestamp != 0)
            {
                changes.Add((e.Timestamp, 0f, -1)); // the device's motor is off from its Fault on
            }
        }

        TelemetryRecord record = _telemetryArrived[tick] ? _telemetry[tick] : Synthesize(tick);
        _logged[tick] = true;
        string? disagreement = CheckDeviceAgrees(tick, ref record);
        _recorder.RecordTick(tick, _truth[tick], ref record);
        if (disagreement is not null)
        {
            return disagreement;
        }

        int next = 0;
        for (int s = 1; s <= _recorder.SubstepsPerTick; s++)
        {
            long stepStart = start + (s - 1) * _stepTicks;
            while (next < changes.Count && changes[next].Timestamp <= stepStart)
            {
                Apply(changes[next++]);
            }

            _recorder.StepPlant(tick, s, _appliedAction);
        }

        while (next < changes.Count)
        {
            Apply(changes[next++]); // arrived in the period's last step: in effect from the next period on
        }

        return null;
    }

    private void Apply((long Timestamp, float Duty, int Tick) change)
    {
        _rig.SetDuty(change.Duty);
        if (change.Tick < 0)
        {
            _appliedAction = 0f;
        }
        else if (_telemetryArrived[change.Tick])
        {
            _appliedAction = _telemetry[change.Tick].Command;
        }
    }

    // The log row of a tick whose Telemetry has not arrived: the device's estimate, command and cost unknown
    // (NaN), the duty as the MotorCommand said (or, without one, as the drive kept it), the mode as last known.
    private TelemetryRecord Synthesize(int tick)
    {
        var record = new TelemetryRecord
        {
            TickIndex = (uint)tick,
            Mode = _recorder.LastMode,
            Fault = SupervisorMode.Fault == _recorder.LastMode ? _faultReason : FaultReason.None,
            State = new CartPoleState(float.NaN, float.NaN, float.NaN, float.NaN),
            Command = float.NaN,
            ForceNewtons = _commandArrived[tick] ? _commandForce[tick] : float.NaN,
            Duty = _commandArrived[tick] ? _commandDuty[tick] : _rig.Duty, // the drive kept the duty it had
            PlanCost = float.NaN,
        };
        if (_statisticsArrived[tick])
        {
            record.PlanningMicroseconds = _statistics[tick].PlanningMicroseconds;
            record.ModelSteps = _statistics[tick].ModelSteps;
            record.OverrunStreak = _statistics[tick].OverrunStreak;
        }

        return record;
    }

    private static void WaitUntil(long deadline)
    {
        long spin = 2 * Stopwatch.Frequency / 1000;
        while (true)
        {
            long remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            if (remaining > spin)
            {
                Thread.Sleep(1);
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }


    // The first tick whose reading is due at or after the cut time.
    private bool CutDue(int tick) =>
        _settings.CutLinkAfterSeconds is double cut && tick >= (int)Math.Ceiling(cut / _profile.ControlPeriodSeconds - 1e-6);

    private (HilEnd End, string? Error) CutLink(int tick, long cutTimestamp)
    {
        // Send nothing more; watch for the device's Fault for its link timeout and half a second more.
        long deviceTimeout = _settings.Lockstep ? Stopwatch.Frequency : 2 * _periodTicks;
        long until = cutTimestamp + deviceTimeout + Stopwatch.Frequency / 2;
        long faultBefore = _faultTimestamp;
        while (Stopwatch.GetTimestamp() < until)
        {
            int wait = (int)Math.Max(1, (until - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
            if (TakeEvent(wait, out LinkEvent e))
            {
                Handle(e, tick - 1);
                if (_faultTimestamp != faultBefore && _faultTimestamp != 0)
                {
                    break;
                }
            }
        }

        bool received = _faultTimestamp != faultBefore && _faultTimestamp != 0;
        _linkCut = new HilLinkCut(tick * (double)_profile.ControlPeriodSeconds, tick - 1, received,
            received ? ModeNames.Of(_faultReason) : null,
            received ? (_faultTimestamp - cutTimestamp) * 1000.0 / Stopwatch.Frequency : null);
        _log.WriteLine(received
            ? $"hil: link cut at tick {tick}; the device reported {ModeNames.Of(_faultReason)} {_linkCut.FaultAfterMilliseconds:F1} ms later"
            : $"hil: link cut at tick {tick}; no Fault from the device");
        return (HilEnd.Completed, null);
    }
}
