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

// HilRun: Lockstep timing: one reading, its complete answer (re-sent after 100 ms), one plant period.
public sealed partial class HilRun
{
    private (HilEnd End, string? Error) RunLockstep()
    {
        var reading = new SensorReading();
        for (int tick = 0; !_recorder.IsComplete(tick); tick++)
        {
            if (CutDue(tick))
            {
                return CutLink(tick, Stopwatch.GetTimestamp());
            }

            _truth[tick] = _rig.Plant.State;
            _rig.Read(ref reading);
            SendReadings(tick, ref reading);
            long retryAt = Stopwatch.GetTimestamp() + LockstepRetryMilliseconds * Stopwatch.Frequency / 1000;
            while (!(_commandArrived[tick] && _telemetryArrived[tick]))
            {
                int waitMilliseconds = (int)Math.Max(0, (retryAt - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
                if (TakeEvent(waitMilliseconds, out LinkEvent e))
                {
                    Handle(e, tick);
                    continue;
                }

                if (_link.IsClosed)
                {
                    return (HilEnd.LinkFailed, $"the serial port closed at tick {tick}");
                }

                if (Stopwatch.GetTimestamp() < retryAt)
                {
                    continue;
                }

                if (_retries[tick] >= LockstepMaxRetries)
                {
                    return (HilEnd.LinkFailed, $"link lost: no answer to SensorReadings({tick}) within {(LockstepMaxRetries + 1) * LockstepRetryMilliseconds} ms");
                }

                _retries[tick]++;
                _link.Send(ref ReadingsMessage(tick, ref reading));
                retryAt = Stopwatch.GetTimestamp() + LockstepRetryMilliseconds * Stopwatch.Frequency / 1000;
            }

            _rig.SetDuty(_commandDuty[tick]);
            TelemetryRecord record = _telemetry[tick];
            _logged[tick] = true;
            string? disagreement = CheckDeviceAgrees(tick, ref record);
            _recorder.RecordTick(tick, _truth[tick], ref record);
            if (disagreement is not null)
            {
                return (HilEnd.Refused, disagreement);
            }

            _recorder.AdvancePlant(tick, record.Command);
        }

        return (HilEnd.Completed, null);
    }

    private SensorReadingsMessage _readingsMessage;

    private ref SensorReadingsMessage ReadingsMessage(int tick, ref SensorReading reading)
    {
        _readingsMessage.TickIndex = (uint)tick;
        _readingsMessage.Reading = reading;
        return ref _readingsMessage;
    }

    private void SendReadings(int tick, ref SensorReading reading)
    {
        _sentTimestamp[tick] = _link.Send(ref ReadingsMessage(tick, ref reading));
        _ticksSent = tick + 1;
    }
}
