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

// HilRun: The link's figures for summary.json and the rows of link.csv.
public sealed partial class HilRun
{
    private HilReport BuildReport()
    {
        int ticks = _recorder.Log.Count;
        var latencies = new List<double>();
        var jitter = new List<double>();
        var schedule = new List<double>();
        double previous = double.NaN;
        int missingCommands = 0;
        int missingTelemetry = 0;
        int telemetryGaps = 0;
        int readingRetries = 0;
        for (int k = 0; k < ticks; k++)
        {
            readingRetries += _retries[k];
            if (!_settings.Lockstep)
            {
                schedule.Add(_scheduleError[k]);
            }

            if (_commandArrived[k])
            {
                double latency = (_commandTimestamp[k] - _sentTimestamp[k]) * 1e6 / Stopwatch.Frequency;
                latencies.Add(latency);
                if (!double.IsNaN(previous))
                {
                    jitter.Add(Math.Abs(latency - previous));
                }

                previous = latency;
            }
            else
            {
                missingCommands++;
                previous = double.NaN;
            }

            if (!_telemetryArrived[k])
            {
                missingTelemetry++;
                if (k == 0 || _telemetryArrived[k - 1])
                {
                    telemetryGaps++;
                }
            }
        }

        FrameDecoder decoder = _link.Decoder;
        return new HilReport(
            _settings.Lockstep ? HilDefaults.LockstepName : HilDefaults.RealTimeName,
            _settings.Port,
            _settings.BaudRate,
            new HilDeviceInfo(_helloAck.ProtocolVersion, $"{_helloAck.FirmwareMajor}.{_helloAck.FirmwareMinor}.{_helloAck.FirmwarePatch}", _helloAck.ControlPeriodMicroseconds, _helloAck.Flags),
            _ticksSent,
            readingRetries,
            missingCommands,
            _lateTicks,
            _staleCommands,
            Percentile(latencies, 0.5),
            Percentile(latencies, 0.99),
            latencies.Count > 0 ? Max(latencies) : null,
            Percentile(jitter, 0.5),
            Percentile(jitter, 0.99),
            _settings.Lockstep ? null : Percentile(schedule, 0.99),
            missingTelemetry,
            telemetryGaps,
            _telemetryLate,
            decoder.FramesAccepted,
            decoder.SequenceGaps,
            decoder.FramesMissed,
            decoder.DuplicateFrames,
            decoder.SequenceRestarts,
            HilRejectedFrames.From(decoder),
            _link.Injector?.Report(),
            _deviceFaults.ToArray(),
            _deviceLoop,
            _linkCut);
    }

    private HilTickLink[] BuildLinkRows()
    {
        int ticks = _recorder.Log.Count;
        var rows = new HilTickLink[ticks];
        long first = ticks > 0 ? _sentTimestamp[0] : 0;
        for (int k = 0; k < ticks; k++)
        {
            rows[k] = new HilTickLink(
                (_sentTimestamp[k] - first) * 1e6 / Stopwatch.Frequency,
                _settings.Lockstep ? double.NaN : _scheduleError[k],
                _commandArrived[k] ? (_commandTimestamp[k] - _sentTimestamp[k]) * 1e6 / Stopwatch.Frequency : double.NaN,
                _commandArrived[k] && !_settings.Lockstep && _commandTimestamp[k] - _sentTimestamp[k] >= _periodTicks,
                _retries[k],
                _telemetryArrived[k]);
        }

        return rows;
    }

    private static double? Percentile(List<double> values, double fraction) =>
        values.Count == 0 ? null : RunMetrics.Percentile(values.ToArray(), fraction);

    private static double Max(List<double> values)
    {
        double max = double.MinValue;
        foreach (double v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }

    private static uint Fnv1a(string text)
    {
        uint hash = 2166136261u;
        foreach (char c in text)
        {
            hash = (hash ^ (byte)c) * 16777619u;
        }

        return hash;
    }
}

/// <summary>One tick of a HIL run as the link saw it (a row of link.csv).</summary>
/// <param name="SentMicroseconds">When SensorReadings(k) went out, µs after the first.</param>
/// <param name="ScheduleErrorMicroseconds">Real time: how late after t0 + kP; NaN in lockstep.</param>
/// <param name="LatencyMicroseconds">From sending SensorReadings(k) to decoding MotorCommand(k), µs; NaN if it never came.</param>
/// <param name="Late">Real time: the command came after the next reading was due.</param>
/// <param name="Retries">Lockstep: times SensorReadings(k) was sent again.</param>
/// <param name="TelemetryReceived">Telemetry(k) arrived.</param>
public readonly record struct HilTickLink(double SentMicroseconds, double ScheduleErrorMicroseconds, double LatencyMicroseconds, bool Late, int Retries, bool TelemetryReceived);
