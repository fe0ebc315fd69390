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

// HilRun: Frames from the device: the receive thread, the event queue, and what each frame does.
public sealed partial class HilRun
{
    private readonly record struct LinkEvent(MessageType Type, ushort Sequence, long Timestamp, byte[] Payload);

    private void ReceiveLoop()
    {
        while (!_stopReceiving)
        {
            bool open = _link.Receive((decoder, timestamp) =>
            {
                if (decoder.IsDuplicate)
                {
                    return;
                }

                var payload = new byte[decoder.PayloadLength];
                Array.Copy(decoder.Frame, FrameLayout.PayloadOffset, payload, 0, payload.Length);
                _events.Enqueue(new LinkEvent(decoder.MessageType, decoder.Sequence, timestamp, payload));
                _eventSignal.Release();
            });
            if (!open)
            {
                _eventSignal.Release();
                return;
            }
        }
    }

    // Closes the port (the receive thread waits in a read without timeout) and waits for the thread.
    private void StopReceiver()
    {
        _stopReceiving = true;
        _link.Close();
        _receiver?.Join();
        _receiver = null;
    }

    private bool TakeEvent(int timeoutMilliseconds, out LinkEvent e)
    {
        if (_carried.Count > 0)
        {
            e = _carried.Dequeue();
            return true;
        }

        long until = Stopwatch.GetTimestamp() + timeoutMilliseconds * Stopwatch.Frequency / 1000;
        while (true)
        {
            if (_events.TryDequeue(out e))
            {
                return true;
            }

            int remaining = (int)((until - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
            if (remaining <= 0 || _link.IsClosed || !_eventSignal.Wait(remaining))
            {
                return _events.TryDequeue(out e);
            }
        }
    }

    private bool NextEventBefore(long end, out LinkEvent e)
    {
        if (_carried.Count == 0 && _events.TryDequeue(out LinkEvent fresh))
        {
            _carried.Enqueue(fresh);
        }

        if (_carried.Count > 0 && _carried.Peek().Timestamp < end)
        {
            e = _carried.Dequeue();
            return true;
        }

        e = default;
        return false;
    }

    private void WaitFor(Func<bool> condition, int timeoutMilliseconds)
    {
        long until = Stopwatch.GetTimestamp() + timeoutMilliseconds * Stopwatch.Frequency / 1000;
        while (!condition())
        {
            int remaining = (int)((until - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
            if (remaining <= 0 || !TakeEvent(remaining, out LinkEvent e))
            {
                return;
            }

            Handle(e, -1);
        }
    }

    // Takes one frame from the device. currentTick: the newest tick sent (-1 before the first).
    private void Handle(LinkEvent e, int currentTick)
    {
        _lastEventTimestamp = Math.Max(_lastEventTimestamp, e.Timestamp);
        byte[] p = e.Payload;
        switch (e.Type)
        {
            case MessageType.HelloAck:
                _helloAck.Read(p, 0);
                _helloAckReceived = true;
                break;
            case MessageType.Ack:
                var ack = new AckMessage();
                ack.Read(p, 0);
                _acks.Add(ack);
                break;
            case MessageType.MotorCommand:
            {
                var command = new MotorCommandMessage();
                command.Read(p, 0);
                int k = TickOf(command.TickIndex);
                if (k < 0 || _commandArrived[k] || k <= _appliedTick)
                {
                    _staleCommands++;
                    break;
                }

                _commandArrived[k] = true;
                _commandTimestamp[k] = e.Timestamp;
                _commandDuty[k] = command.Duty;
                _commandForce[k] = command.ForceNewtons;
                _appliedTick = k;
                if (!_settings.Lockstep && e.Timestamp - _sentTimestamp[k] >= _periodTicks)
                {
                    _lateTicks++;
                }

                break;
            }

            case MessageType.TickStatistics:
            {
                var statistics = new TickStatisticsMessage();
                statistics.Read(p, 0);
                int k = TickOf(statistics.TickIndex);
                if (k >= 0 && !_statisticsArrived[k])
                {
                    _statisticsArrived[k] = true;
                    _statistics[k] = statistics;
                }

                break;
            }

            case MessageType.Telemetry:
            {
                var telemetry = new TelemetryMessage();
                telemetry.Read(p, 0);
                int k = TickOf(telemetry.Record.TickIndex);
                if (k < 0 || _telemetryArrived[k])
                {
                    break;
                }

                _telemetryArrived[k] = true;
                _telemetry[k] = telemetry.Record;
                if (_logged[k])
                {
                    // Real time: the row was logged without it; complete it (the plant's integration is done).
                    _telemetryLate++;
                    _recorder.Log.Replace(k, ref telemetry.Record);
                }

                break;
            }

            case MessageType.Fault:
            {
                var fault = new FaultMessage();
                fault.Read(p, 0);
                _deviceFaults.Add(ModeNames.Of(fault.Reason));
                _faultReason = fault.Reason;
                _faultTimestamp = e.Timestamp;
                _log.WriteLine($"hil: the device reported fault {ModeNames.Of(fault.Reason)} at its tick {fault.TickIndex}");
                break;
            }

            case MessageType.LoopStatistics:
            {
                var statistics = new LoopStatisticsMessage();
                statistics.Read(p, 0);
                _deviceLoop = new HilDeviceLoop(
                    (_deviceLoop?.Windows ?? 0) + 1,
                    statistics.Overruns,
                    statistics.SkippedPeriods,
                    Math.Max(_deviceLoop?.MaxJitterMicroseconds ?? 0, statistics.MaxJitterMicroseconds),
                    Math.Max(_deviceLoop?.MaxTickMicroseconds ?? 0, statistics.MaxTickMicroseconds));
                break;
            }

            default:
                break; // Heartbeats and anything else: signs of life only
        }
    }

    private int TickOf(uint tickIndex) => tickIndex < (uint)_ticksSent ? (int)tickIndex : -1;

    // The device must home exactly when the host's rig is not homed, or the run is not the one asked for.
    private string? CheckDeviceAgrees(int tick, ref TelemetryRecord record)
    {
        if (tick != 0 || !_telemetryArrived[0] || record.Mode == SupervisorMode.Fault)
        {
            return null;
        }

        if (_startHomed && record.Mode == SupervisorMode.Homing)
        {
            return "the device is homing but this run starts homed: start the device with --homed (or run hil without it)";
        }

        if (!_startHomed && record.Mode != SupervisorMode.Homing)
        {
            return "the device did not home but this run powers on unhomed: start the device without --homed (or run hil with --homed)";
        }

        return null;
    }
}
