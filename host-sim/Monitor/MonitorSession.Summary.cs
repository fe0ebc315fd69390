using System;
using System.IO;
using System.Linq;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Monitor;

/// <summary>What the display shows at one moment (a copy: the receiving thread goes on recording).</summary>
public sealed record MonitorSnapshot(
    double ElapsedSeconds,
    bool Connected,
    bool Silent,
    int Connections,
    long FramesAccepted,
    long CrcErrors,
    long FramesRejected,
    bool HaveTelemetry,
    TelemetryRecord Record,
    bool HaveLoopStatistics,
    uint LoopOverruns,
    uint MaxJitterMicroseconds,
    uint FreeMemoryBytes,
    int Rows,
    int Gaps,
    long MissingTicks,
    double ControlPeriodSeconds,
    float[] ThetaTrace,
    float[] XTrace,
    string? PendingCommand,
    string[] RecentEvents);

/// <summary>summary.json and the display's snapshot.</summary>
public sealed partial class MonitorSession
{
    /// <summary>The present state, for the display.</summary>
    public MonitorSnapshot Snapshot()
    {
        lock (_gate)
        {
            double now = _clock.Elapsed.TotalSeconds;
            int traceRows = (int)Math.Round(TraceSeconds / ControlPeriodSeconds);
            float[] theta = [];
            float[] x = [];
            if (_recorder is { Rows: > 0 } recorder)
            {
                int start = Math.Max(0, recorder.Rows - traceRows);
                theta = recorder.Theta.GetRange(start, recorder.Rows - start).ToArray();
                x = recorder.X.GetRange(start, recorder.Rows - start).ToArray();
            }

            return new MonitorSnapshot(
                now,
                _connection?.IsConnected ?? false,
                now - _lastFrameSeconds > SilenceSeconds,
                _connection?.Connections ?? 0,
                _connection?.FramesAccepted ?? 0,
                _connection?.CrcErrors ?? 0,
                _connection?.FramesRejected ?? 0,
                _haveTelemetry,
                _telemetry.Record,
                _haveLoop,
                _loop.Overruns,
                _loop.MaxJitterMicroseconds,
                _loop.FreeMemoryBytes,
                _recorder?.Rows ?? 0,
                _recorder?.Gaps ?? 0,
                _recorder?.MissingTicks ?? 0,
                ControlPeriodSeconds,
                theta,
                x,
                _command is null ? null : CommandName(_command.Message.Command),
                _events.Skip(Math.Max(0, _events.Count - 6)).ToArray());
        }
    }

    /// <summary>The summary as it stands.</summary>
    public MonitorSummary BuildSummary()
    {
        lock (_gate)
        {
            return BuildSummaryLocked();
        }
    }

    private MonitorSummary BuildSummaryLocked()
    {
        RigLogRecorder? r = _recorder;
        double[] planning = r is null ? [] : r.PlanningMicroseconds.Select(us => (double)us).ToArray();
        double median = RunMetrics.Percentile(planning, 0.5);
        double p99 = RunMetrics.Percentile(planning, 0.99);
        string? detail = _ending switch
        {
            MonitorEnding.Running => _connection is { IsConnected: false } ? "recording; the link is down, trying again every second" : "recording",
            MonitorEnding.Duration => $"recorded --duration {_settings.DurationSeconds} s of rig time",
            MonitorEnding.ExcitationDone => "the excitation ended and the rig stopped",
            MonitorEnding.Quit => "quit",
            MonitorEnding.Interrupted => "Ctrl+C or SIGTERM",
            MonitorEnding.RigRestarted => _restart,
            MonitorEnding.WriteFailed => _writeError,
            _ => null,
        };
        if (!_linkUpAtEnd && _ending != MonitorEnding.Running)
        {
            detail += $"; the link was down at the end (last frame {_clock.Elapsed.TotalSeconds - _lastFrameSeconds:0.0} s before)";
        }

        return new MonitorSummary(
            "monitor",
            EndingName(_ending),
            detail,
            _settings.Port,
            _settings.BaudRate,
            _settings.ProfileName,
            ControlPeriodSeconds,
            _haveHelloAck ? "rig" : "profile",
            _haveHelloAck ? $"{_helloAck.FirmwareMajor}.{_helloAck.FirmwareMinor}.{_helloAck.FirmwarePatch}" : null,
            _haveHelloAck ? _helloAck.ModelId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) : null,
            _haveHelloAck ? RigTelemetryColumns.ModelSourceName(_helloAck.ModelSource) : null,
            _startedUtc,
            DateTime.UtcNow,
            r?.Rows ?? 0,
            r?.FirstTickIndex,
            r?.LastTickIndex,
            r is { Rows: > 0 } ? Math.Round((r.LastTickIndex!.Value - r.FirstTickIndex!.Value + 1) * ControlPeriodSeconds, 3) : 0,
            r?.Gaps ?? 0,
            r?.MissingTicks ?? 0,
            r?.Duplicates ?? 0,
            _connection?.Connections ?? 0,
            _disconnections,
            _connection?.FramesAccepted ?? 0,
            _connection?.FramesRejected ?? 0,
            _connection?.CrcErrors ?? 0,
            _connection?.VersionErrors ?? 0,
            r is null ? [] : r.Modes.Select(ModeNames.Of).ToArray(),
            r is null ? [] : r.Faults.Select(ModeNames.Of).ToArray(),
            Math.Round(median, 0),
            Math.Round(p99, 0),
            r?.OverrunTicks ?? 0,
            r?.LongestOverrunStreak ?? 0,
            _haveLoop ? _loop.Overruns : null,
            _haveLoop ? _loop.SkippedPeriods : null,
            _haveLoop ? _maxJitterMicroseconds : null,
            _haveLoop && _minFreeMemoryBytes != uint.MaxValue ? _minFreeMemoryBytes : null,
            _commands.ToArray());
    }

    private void WriteSummaryLocked()
    {
        try
        {
            BuildSummaryLocked().WriteTo(SummaryPath);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _writeError ??= $"cannot write {SummaryPath}: {error.Message}";
        }
    }

    /// <summary>The summary's word for an ending.</summary>
    public static string EndingName(MonitorEnding ending) => ending switch
    {
        MonitorEnding.Running => "running",
        MonitorEnding.Duration => "duration",
        MonitorEnding.ExcitationDone => "excitation-done",
        MonitorEnding.Quit => "quit",
        MonitorEnding.Interrupted => "interrupted",
        MonitorEnding.RigRestarted => "rig-restarted",
        MonitorEnding.WriteFailed => "write-failed",
        _ => "unknown",
    };
}
